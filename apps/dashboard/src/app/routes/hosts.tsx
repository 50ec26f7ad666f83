import { useCallback, useId } from 'react';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useHosts } from '@/features/hosts/api/get-hosts';
import { HostSearch } from '@/features/hosts/components/host-search';
import { HostsTable } from '@/features/hosts/components/hosts-table';
import { PAGE_SIZES, useHostListParams } from '@/features/hosts/hooks/use-host-list-params';
import { formatCount } from '@/lib/format';

export function HostsRoute() {
  const sizeId = useId();
  const { params, update } = useHostListParams();
  const hosts = useHosts(params);

  const onSearch = useCallback((q: string) => update({ q, offset: 0 }, { replace: true }), [update]);

  return (
    <>
      <PageHeader title="Hosts" documentTitle={params.q ? `Hosts matching “${params.q}”` : 'Hosts'}>
        {hosts.data ? <span className="page-count">{formatCount(hosts.data.total)}</span> : null}
      </PageHeader>
      <div className="toolbar">
        <HostSearch value={params.q} onChange={onSearch} />
        <div className="field field-inline">
          <label htmlFor={`${sizeId}-online`}>State</label>
          <select
            id={`${sizeId}-online`}
            value={params.online}
            onChange={(e) => update({ online: e.target.value === 'true' ? 'true' : e.target.value === 'false' ? 'false' : '', offset: 0 })}
          >
            <option value="">Online and offline</option>
            <option value="true">Online</option>
            <option value="false">Offline</option>
          </select>
        </div>
        {params.group || params.failing ? (
          <p className="muted small">
            {params.group ? <>Group <strong>{params.group}</strong> </> : null}
            {params.failing ? <>Failing <span className="mono">{params.failing}</span> </> : null}
            <button type="button" className="btn btn-small" onClick={() => update({ group: '', failing: '', offset: 0 })}>
              Clear
            </button>
          </p>
        ) : null}
        <div className="field field-inline">
          <label htmlFor={sizeId}>Rows per page</label>
          <select
            id={sizeId}
            value={params.limit}
            onChange={(e) => update({ limit: Number(e.target.value), offset: 0 })}
          >
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        {/* Only a page/search/sort change shows progress; live refreshes stay quiet. */}
        <span className="muted small" role="status">
          {hosts.isPlaceholderData ? 'Updating…' : ''}
        </span>
      </div>
      {hosts.isPending ? (
        <LoadingState label="Loading hosts…" />
      ) : hosts.isError ? (
        <ErrorState error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : hosts.data.items.length === 0 ? (
        params.group || params.online || params.failing ? (
          <EmptyState title="No hosts match these filters">
            <button type="button" className="btn" onClick={() => update({ q: '', group: '', online: '', failing: '', offset: 0 })}>
              Clear filters
            </button>
          </EmptyState>
        ) : params.q ? (
          <EmptyState title={`No hosts match “${params.q}”`}>
            <button type="button" className="btn" onClick={() => onSearch('')}>
              Clear search
            </button>
          </EmptyState>
        ) : hosts.data.total > 0 ? (
          <EmptyState title="This page is empty">
            <button type="button" className="btn" onClick={() => update({ offset: 0 })}>
              Go to the first page
            </button>
          </EmptyState>
        ) : (
          <EmptyState title="No hosts enrolled yet">
            Start an agent with <code>plumbline-agent run --server URL --token TOKEN</code>; it appears here
            as soon as it connects.
          </EmptyState>
        )
      ) : (
        <>
          <HostsTable
            hosts={hosts.data.items}
            sort={params.sort}
            order={params.order}
            onSort={(sort, order) => update({ sort, order, offset: 0 })}
            busy={hosts.isPlaceholderData}
          />
          <Pagination
            label="Hosts pages"
            offset={params.offset}
            limit={params.limit}
            total={hosts.data.total}
            shown={hosts.data.items.length}
            onChange={(offset) => update({ offset })}
          />
        </>
      )}
    </>
  );
}
