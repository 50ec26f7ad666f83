import type { SeverityCounts } from '@plumbline/protocol/api';
import { formatCount } from '@/lib/format';

const ORDER = [
  { key: 'critical', label: 'critical', tone: 'bad' },
  { key: 'high', label: 'high', tone: 'bad' },
  { key: 'medium', label: 'medium', tone: 'warn' },
  { key: 'low', label: 'low', tone: 'neutral' },
  { key: 'waived', label: 'waived', tone: 'waived' },
] as const;

/** A host's failures by severity, worst first ("4 high 44 medium 13 low"); zero counts are left out. */
export function FailureCounts({ counts }: { counts: SeverityCounts }) {
  const shown = ORDER.filter((s) => counts[s.key] > 0);
  if (!shown.length) return <span className="muted">none</span>;
  return (
    <ul className="sev-counts" aria-label="Failures by severity">
      {shown.map((s) => (
        <li key={s.key} className={`badge badge-${s.tone}`}>
          {formatCount(counts[s.key])} {s.label}
        </li>
      ))}
    </ul>
  );
}
