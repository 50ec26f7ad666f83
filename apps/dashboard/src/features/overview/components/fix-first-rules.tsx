import type { Triage } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { column, DataTable, type Column } from '@/components/data-table';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';

type RuleImpact = Triage['fixFirst'][number];

const columns: Column<RuleImpact>[] = [
  column(
    'Rule',
    (r) => (
      <>
        <Link to={`/rules/${encodeURIComponent(r.ruleId)}`}>{r.title}</Link>
        <div className="mono small muted">{r.ruleId}</div>
      </>
    ),
    { rowHeader: true },
  ),
  column('Severity', (r) => <SeverityBadge severity={r.severity} />),
  column('Hosts failing', (r) => <Link to={`/hosts?failing=${encodeURIComponent(r.ruleId)}`}>{formatCount(r.hosts)}</Link>, { num: true }),
  column('Fleet score gain', (r) => <span title={`impact ${r.impact} = severity weight x hosts`}>+{r.scoreGain.toFixed(1)} pts</span>, {
    num: true,
    className: 'nowrap',
  }),
];

/** Rules ranked by severity weight x failing hosts: fixing the first one raises the fleet score most. */
export function FixFirstRules({ rules }: { rules: Triage['fixFirst'] }) {
  if (rules.length === 0) return <EmptyState title="No rule fails on any host" />;
  return <DataTable items={rules} columns={columns} caption="Rules whose fix raises the fleet score most" rowKey={(r) => r.ruleId} />;
}
