import { Link } from 'react-router';
import { StackedBar } from '@/components/bar-chart';
import { formatCount, formatScore } from '@/lib/format';
import { scoreBand } from '@/lib/score-bands';
import type { FleetSummary } from '@plumbline/protocol/api';

function Stat({ label, value, tone, to, hint }: { label: string; value: string; tone: string; to?: string; hint?: string }) {
  const body = (
    <>
      <span className="stat-value">{value}</span>
      <span className="stat-label">{label}</span>
      {hint ? <span className="stat-hint">{hint}</span> : null}
    </>
  );
  return (
    <li className={`stat stat-${tone}`}>
      {to ? (
        <Link to={to} className="stat-link">
          {body}
        </Link>
      ) : (
        <div className="stat-link">{body}</div>
      )}
    </li>
  );
}

/** The fleet's score with and without waivers, hosts online/offline and result counts. */
export function FleetScore({ summary }: { summary: FleetSummary }) {
  const { fleet } = summary;
  const c = fleet.counts;
  return (
    <>
      <ul className="stats" aria-label="Fleet figures">
        <Stat label="Score" value={formatScore(fleet.score)} tone={scoreBand(fleet.score)} hint="without waivers" />
        <Stat
          label="Score with waivers"
          value={formatScore(fleet.scoreWithWaivers)}
          tone={scoreBand(fleet.scoreWithWaivers)}
          hint="waived failures count as passes"
          to="/waivers"
        />
        <Stat label="Hosts" value={formatCount(fleet.hosts)} tone="neutral" to="/hosts" />
        <Stat label="Online" value={formatCount(fleet.online)} tone="ok" to="/hosts?online=true" />
        <Stat label="Offline" value={formatCount(fleet.offline)} tone={fleet.offline > 0 ? 'bad' : 'neutral'} to="/hosts?online=false" />
      </ul>
      <StackedBar
        label="Rule results across the fleet"
        parts={[
          { label: 'Pass', value: c.pass, tone: 'ok' },
          { label: 'Fail', value: c.fail - c.waived, tone: 'bad' },
          { label: 'Waived', value: c.waived, tone: 'waived' },
          { label: 'Error', value: c.error, tone: 'warn' },
          { label: 'Not applicable', value: c.notapplicable, tone: 'neutral' },
        ]}
      />
    </>
  );
}
