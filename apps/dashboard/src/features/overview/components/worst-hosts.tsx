import type { Triage } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { Dash } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { FailureCounts } from '@/components/failure-counts';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';

type WorstHost = Triage['worstHosts'][number];

const DIRECTION: Record<string, string> = { regression: 'Regression', fix: 'Fixed', change: 'Changed' };

function LastChange({ host }: { host: WorstHost }) {
  const c = host.lastChange;
  if (!c) return <Dash text="no drift yet" />;
  const what = c.ruleTitle ?? c.path ?? c.kind;
  const tone = c.direction === 'regression' ? 'bad' : c.direction === 'improvement' || c.direction === 'fix' ? 'ok' : 'neutral';
  return (
    <div className="triage-change">
      <Link to={`/drift?host=${encodeURIComponent(host.hostname)}&range=24h`}>
        {host.recentChanges > 0 ? `${formatCount(host.recentChanges)} in 24 h` : 'none in 24 h'}
      </Link>
      <div className="small">
        <span className={`badge badge-${tone}`}>{DIRECTION[c.direction] ?? c.direction}</span> <span className="clamp">{what}</span>{' '}
        <span className="muted">
          <RelativeTime iso={c.observedAt} />
        </span>
      </div>
    </div>
  );
}

const columns: Column<WorstHost>[] = [
  column(
    'Host',
    (h) => (
      <>
        <Link to={`/hosts/${encodeURIComponent(h.id)}?status=fail`}>{h.hostname}</Link>
        {h.group ? <div className="small muted">{h.group}</div> : null}
      </>
    ),
    { rowHeader: true },
  ),
  column('Score', (h) => <ScoreBadge score={h.score} />, { num: true }),
  column('Failures', (h) => <FailureCounts counts={h.failures} />, { num: true }),
  column('What changed recently', (h) => <LastChange host={h} />),
];

/** The lowest-scoring hosts with what fails on them, by severity, and their latest drift. */
export function WorstHosts({ hosts }: { hosts: Triage['worstHosts'] }) {
  if (hosts.length === 0) return <EmptyState title="No host has a score yet" />;
  return <DataTable items={hosts} columns={columns} caption="Worst hosts, lowest score first" rowKey={(h) => h.id} />;
}
