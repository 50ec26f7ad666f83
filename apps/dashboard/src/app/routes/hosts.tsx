import { useCallback, useEffect, useId, useMemo, useState } from 'react';
import { DownloadCsv } from '@/components/download-csv';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { EmptyState, ErrorState, LoadingState, UpdatingStatus } from '@/components/states';
import { groupChoices } from '@/components/group-field';
import { useGroups } from '@/features/groups/api/get-groups';
import { useHostFailures } from '@/features/hosts/api/get-host-failures';
import { useHosts } from '@/features/hosts/api/get-hosts';
import { filterOf } from '@/features/hosts/api/bulk-update-hosts';
import { BulkBar } from '@/features/hosts/components/bulk-bar';
import { HostFilters } from '@/features/hosts/components/host-filters';
import { HostSearch } from '@/features/hosts/components/host-search';
import { HostsTable } from '@/features/hosts/components/hosts-table';
import { PAGE_SIZES, useHostListParams } from '@/features/hosts/hooks/use-host-list-params';
import { CLEAR_HOST_FILTERS, hasHostFilters } from '@/features/hosts/utils/host-list-params';
import { useRules } from '@/features/rules/api/get-rules';
import { formatCount } from '@/lib/format';

/** A short account of the active filters, for the page title (shared links say what they show). */
function describe(params: ReturnType<typeof useHostListParams>['params']): string {
  const parts = [
    params.q && `matching “${params.q}”`,
    params.group && `in ${params.group}`,
    params.tag && `tagged ${params.tag}`,
    params.os && params.os,
    params.online === 'true' ? 'online' : params.online === 'false' ? 'offline' : '',
    (params.minScore || params.maxScore) && `score ${params.minScore || '0'}–${params.maxScore || '100'}`,
    params.failing && `failing ${params.failing}`,
  ].filter(Boolean);
  return parts.length ? `Hosts ${parts.join(', ')}` : 'Hosts';
}

export function HostsRoute() {
  const sizeId = useId();
  const { params, update } = useHostListParams();
  const hosts = useHosts(params);
  const failures = useHostFailures(hosts.data?.items.map((h) => h.id) ?? []);
  const groups = useGroups();
  // The rule picker lists the catalogue by id; a failure leaves a plain text input.
  const rules = useRules({ q: '', limit: 1000, offset: 0, sort: 'id' });

  const onSearch = useCallback((q: string) => update({ q, offset: 0 }, { replace: true }), [update]);
  const clear = useCallback(() => update(CLEAR_HOST_FILTERS), [update]);
  const filtered = hasHostFilters(params);

  // Bulk selection: checked rows, or every host the filters match. A new filter starts afresh.
  const [selected, setSelected] = useState<Set<string>>(() => new Set());
  const [allMatching, setAllMatching] = useState(false);
  const filterKey = JSON.stringify(filterOf(params));
  useEffect(() => {
    setSelected(new Set());
    setAllMatching(false);
  }, [filterKey]);
  const selection = useMemo(
    () => ({
      isSelected: (id: string) => allMatching || selected.has(id),
      toggle: (id: string) => {
        setAllMatching(false);
        setSelected((prev) => {
          const next = new Set(prev);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        });
      },
      toggleAll: (ids: string[], on: boolean) => {
        setAllMatching(false);
        setSelected((prev) => {
          const next = new Set(prev);
          for (const id of ids)
            if (on) next.add(id);
            else next.delete(id);
          return next;
        });
      },
    }),
    [allMatching, selected],
  );

  return (
    <>
      <PageHeader title="Hosts" documentTitle={describe(params)}>
        {hosts.data ? <span className="page-count">{formatCount(hosts.data.total)}</span> : null}
      </PageHeader>
      <div className="toolbar">
        <HostSearch value={params.q} onChange={onSearch} />
        <div className="field field-inline">
          <label htmlFor={sizeId}>Rows per page</label>
          <select id={sizeId} value={params.limit} onChange={(e) => update({ limit: Number(e.target.value), offset: 0 })}>
            {PAGE_SIZES.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
        <DownloadCsv path="/hosts" query={{ ...filterOf(params), sort: params.sort, order: params.order }} />
        {/* Only a page/search/sort change shows progress; live refreshes stay quiet. */}
        <UpdatingStatus updating={hosts.isPlaceholderData} />
      </div>
      <HostFilters
        params={params}
        onChange={update}
        onClear={clear}
        groups={groupChoices(groups)}
        rules={rules.data ? rules.data.items.map((r) => ({ id: r.id, title: r.title })) : null}
      />
      {hosts.isPending ? (
        <LoadingState label="Loading hosts…" />
      ) : hosts.isError ? (
        <ErrorState error={hosts.error} onRetry={() => void hosts.refetch()} />
      ) : hosts.data.items.length === 0 ? (
        filtered ? (
          <EmptyState title="No hosts match these filters">
            <button type="button" className="btn" onClick={clear}>
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
            Start an agent with <code>plumbline-agent run --server URL --token TOKEN</code>; it appears here as soon as it connects.
          </EmptyState>
        )
      ) : (
        <>
          <BulkBar
            selected={[...selected]}
            allMatching={allMatching}
            total={hosts.data.total}
            params={params}
            groups={groupChoices(groups)}
            onSelectAllMatching={() => setAllMatching(true)}
            onClear={() => {
              setSelected(new Set());
              setAllMatching(false);
            }}
          />
          <HostsTable
            hosts={hosts.data.items}
            sort={params.sort}
            order={params.order}
            onSort={(sort, order) => update({ sort, order, offset: 0 })}
            busy={hosts.isPlaceholderData}
            failures={failures.data}
            selection={selection}
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
