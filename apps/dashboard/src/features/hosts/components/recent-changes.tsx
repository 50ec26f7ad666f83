import { useState } from 'react';
import { Pagination } from '@/components/pagination';
import { RelativeTime } from '@/components/relative-time';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount, formatValue } from '@/lib/format';
import { useHostChanges } from '../api/get-host-changes';

const PAGE = 20;

function Value({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  const text = formatValue(value);
  return (
    <span className="mono clamp" title={text.length > 80 ? text : undefined}>
      {text}
    </span>
  );
}

export function RecentChanges({ hostId }: { hostId: string }) {
  const [offset, setOffset] = useState(0);
  const changes = useHostChanges(hostId, { limit: PAGE, offset });
  return (
    <Section title="Recent changes" meta={changes.data ? formatCount(changes.data.total) : undefined}>
      {changes.isPending ? (
        <LoadingState label="Loading changes…" />
      ) : changes.isError ? (
        <ErrorState error={changes.error} onRetry={() => void changes.refetch()} />
      ) : changes.data.items.length === 0 ? (
        <EmptyState title="No changes recorded">Fact changes appear here as the agent reports them.</EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Observed</th>
                  <th scope="col">Fact</th>
                  <th scope="col">Path</th>
                  <th scope="col">Change</th>
                  <th scope="col">Before</th>
                  <th scope="col">After</th>
                </tr>
              </thead>
              <tbody>
                {changes.data.items.map((c) => (
                  <tr key={c.id}>
                    <td className="nowrap">
                      <RelativeTime iso={c.observedAt} />
                    </td>
                    <td className="mono">{c.fact}</td>
                    <td>
                      <span className="mono clamp clamp-wide" title={c.path}>
                        {c.path || '/'}
                      </span>
                    </td>
                    <td>
                      <span className={`op op-${c.op}`}>{c.op}</span>
                    </td>
                    <td>
                      <Value value={c.before} />
                    </td>
                    <td>
                      <Value value={c.after} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {changes.data.total > PAGE ? (
            <Pagination
              label="Changes pages"
              offset={offset}
              limit={PAGE}
              total={changes.data.total}
              shown={changes.data.items.length}
              onChange={setOffset}
            />
          ) : null}
        </>
      )}
    </Section>
  );
}
