import type { FactChangeItem } from '@plumbline/protocol/api';
import { ValueCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { PagedView, usePaging } from '@/components/paged-table';
import { RelativeTime } from '@/components/relative-time';
import { Section } from '@/components/section';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useHostChanges } from '../api/get-host-changes';

const PAGE = 20;

const columns: Column<FactChangeItem>[] = [
  column('Observed', (c) => <RelativeTime iso={c.observedAt} />, { className: 'nowrap' }),
  column('Fact', (c) => c.fact, { className: 'mono' }),
  column('Path', (c) => (
    <span className="mono clamp clamp-wide" title={c.path}>
      {c.path || '/'}
    </span>
  )),
  column('Change', (c) => <span className={`op op-${c.op}`}>{c.op}</span>),
  column('Before', (c) => <ValueCell value={c.before} />),
  column('After', (c) => <ValueCell value={c.after} />),
];

export function RecentChanges({ hostId }: { hostId: string }) {
  const paging = usePaging(PAGE);
  const changes = useHostChanges(hostId, paging.params);
  return (
    <Section title="Recent changes" meta={changes.data ? formatCount(changes.data.total) : undefined}>
      <PagedView
        query={changes}
        paging={paging}
        loading="Loading changes…"
        empty={<EmptyState title="No changes recorded">Fact changes appear here as the agent reports them.</EmptyState>}
        pagesLabel="Changes pages"
        pagerWhenOnePage={false}
      >
        {(items) => <DataTable items={items} columns={columns} caption="Fact changes, newest first" rowKey={(c) => c.id} />}
      </PagedView>
    </Section>
  );
}
