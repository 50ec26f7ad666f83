import type { FactChangeItem } from '@plumbline/protocol/api';
import { useState } from 'react';
import { ValueCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { QueryView } from '@/components/paged-table';
import { Pagination } from '@/components/pagination';
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
  const [offset, setOffset] = useState(0);
  const changes = useHostChanges(hostId, { limit: PAGE, offset });
  return (
    <Section title="Recent changes" meta={changes.data ? formatCount(changes.data.total) : undefined}>
      <QueryView
        query={changes}
        loading="Loading changes…"
        empty={<EmptyState title="No changes recorded">Fact changes appear here as the agent reports them.</EmptyState>}
        isEmpty={(page) => page.items.length === 0}
      >
        {(page) => (
          <>
            <DataTable items={page.items} columns={columns} caption="Fact changes, newest first" rowKey={(c) => c.id} />
            {page.total > PAGE ? (
              <Pagination
                label="Changes pages"
                offset={offset}
                limit={PAGE}
                total={page.total}
                shown={page.items.length}
                onChange={setOffset}
              />
            ) : null}
          </>
        )}
      </QueryView>
    </Section>
  );
}
