import type { FleetSummary } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { column, DataTable, type Column } from '@/components/data-table';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';

type FailingRule = FleetSummary['topFailingRules'][number];

const columns: Column<FailingRule>[] = [
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
  column('Hosts failing', (r) => formatCount(r.hosts), { num: true }),
];

export function TopFailingRules({ rules }: { rules: FleetSummary['topFailingRules'] }) {
  if (rules.length === 0) return <EmptyState title="No rule fails on any host" />;
  return <DataTable items={rules} columns={columns} caption="Rules failing on the most hosts" rowKey={(r) => r.ruleId} />;
}
