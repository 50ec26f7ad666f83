import type { HostDetail } from '@plumbline/protocol/api';
import { ScoreBadge } from '@/components/badges';
import { FailureCounts } from '@/components/failure-counts';
import { useHostResults } from '../api/get-host-results';
import { SEVERITY_ORDER } from '../utils/order-results';

export const HOST_PAGE_SECTIONS = [
  { id: 'compliance', label: 'Compliance' },
  { id: 'trend', label: 'Trend' },
  { id: 'ssh', label: 'SSH' },
  { id: 'vulnerabilities', label: 'Vulnerabilities' },
  { id: 'ports', label: 'Ports' },
  { id: 'drift', label: 'Drift' },
  { id: 'baseline', label: 'Baseline' },
  { id: 'waivers', label: 'Waivers' },
  { id: 'changes', label: 'Changes' },
  { id: 'facts', label: 'Facts' },
] as const;

/**
 * Stays at the top while the host page scrolls: the host, its scores, its failures by severity
 * (each a link to that severity's results) and an index of the page's sections.
 */
export function HostIndex({ host }: { host: HostDetail }) {
  const results = useHostResults(host.id);
  const counts = { critical: 0, high: 0, medium: 0, low: 0, waived: 0 };
  for (const r of results.data?.items ?? []) {
    if (r.status !== 'fail') continue;
    if (r.waived) counts.waived += 1;
    else if (r.severity in counts) counts[r.severity] += 1;
  }
  return (
    <nav className="host-index" aria-label="Host page">
      <strong className="host-index-name">{host.hostname}</strong>
      <span>
        Score <ScoreBadge score={host.score} />
      </span>
      <span>
        with waivers <ScoreBadge score={host.scoreWithWaivers} />
      </span>
      {results.data ? <FailureCounts counts={counts} /> : null}
      <ul className="host-index-links">
        {SEVERITY_ORDER.filter((s) => counts[s] > 0).map((s) => (
          <li key={s}>
            <a href={`#severity-${s}`}>{s[0]?.toUpperCase() + s.slice(1)}</a>
          </li>
        ))}
        {HOST_PAGE_SECTIONS.map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`}>{s.label}</a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
