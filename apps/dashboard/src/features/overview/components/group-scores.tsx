import type { FleetSummary } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { Dash } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { formatCount } from '@/lib/format';

type GroupFigures = FleetSummary['groups'][number];

const columns: Column<GroupFigures>[] = [
  column('Group', (g) => (g.name ? <Link to={`/hosts?group=${encodeURIComponent(g.name)}`}>{g.name}</Link> : <Dash text="No group" />), {
    rowHeader: true,
  }),
  column('Hosts', (g) => formatCount(g.hosts), { num: true }),
  column('Offline', (g) => formatCount(g.offline), { num: true }),
  column('Score', (g) => <ScoreBadge score={g.score} />, { num: true }),
  column('With waivers', (g) => <ScoreBadge score={g.scoreWithWaivers} />, { num: true }),
  column('Failures', (g) => formatCount(g.counts.fail), { num: true }),
];

export function GroupScores({ groups }: { groups: FleetSummary['groups'] }) {
  return <DataTable items={groups} columns={columns} caption="Score per group" rowKey={(g) => g.name ?? ''} />;
}
