import type { RuleHostItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { ResultBadge, ScoreBadge } from '@/components/badges';
import { Dash, WhenCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { RelativeTime } from '@/components/relative-time';
import { OnlineBadge } from '@/components/status-badge';

const columnsFor = (ruleId: string): Column<RuleHostItem>[] => [
  // The host page opens at this rule, expanded.
  column(
    'Host',
    (i) => (
      <Link to={`/hosts/${encodeURIComponent(i.host.id)}?rule=${encodeURIComponent(ruleId)}#rule-${encodeURIComponent(ruleId)}`}>
        {i.host.hostname}
      </Link>
    ),
    { rowHeader: true },
  ),
  column('Group', (i) => i.host.group ?? <Dash />),
  column('Result', (i) => <ResultBadge status={i.status} />),
  column('Failing since', (i) => <WhenCell iso={i.firstFailedAt} />, { className: 'nowrap' }),
  column('Last changed', (i) => <RelativeTime iso={i.changedAt} />, { className: 'nowrap' }),
  column('Host score', (i) => <ScoreBadge score={i.host.score} />, { num: true }),
  column('Status', (i) => <OnlineBadge online={i.host.online} />),
];

export function RuleHostsTable({ items, caption, ruleId }: { items: RuleHostItem[]; caption: string; ruleId: string }) {
  return <DataTable items={items} columns={columnsFor(ruleId)} caption={caption} rowKey={(i) => i.host.id} />;
}
