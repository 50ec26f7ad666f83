import type { Page } from '@plumbline/protocol/api';
import type { UseQueryResult } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { DataTable, type DataTableProps } from './data-table';
import { Pagination } from './pagination';
import { EmptyState, ErrorState, LoadingState } from './states';

/** Loading, failed, empty or loaded: one place decides what a query's section shows. */
export function QueryView<T>({
  query,
  loading,
  empty,
  isEmpty,
  children,
}: {
  query: UseQueryResult<T>;
  loading: string;
  /** Shown when `isEmpty` says the data holds nothing. */
  empty?: ReactNode;
  isEmpty?: (data: T) => boolean;
  children: (data: T) => ReactNode;
}) {
  if (query.isPending) return <LoadingState label={loading} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (empty !== undefined && isEmpty?.(query.data)) return <>{typeof empty === 'string' ? <EmptyState title={empty} /> : empty}</>;
  return <>{children(query.data)}</>;
}

/** Where a paged list stands: the request's `params`, and what the pager needs. */
export interface Paging {
  offset: number;
  limit: number;
  onOffset: (offset: number) => void;
  params: { limit: number; offset: number };
}

export function usePaging(limit: number): Paging {
  const [offset, setOffset] = useState(0);
  return { offset, limit, onOffset: setOffset, params: { limit, offset } };
}

/** One page of a list endpoint with its states and the pager under it; `children` draws the page's items. */
export function PagedView<T>({
  query,
  paging,
  loading,
  empty,
  pagesLabel,
  pagerWhenOnePage = true,
  children,
}: {
  query: UseQueryResult<Page<T>>;
  paging: Pick<Paging, 'offset' | 'limit' | 'onOffset'>;
  loading: string;
  empty: ReactNode;
  pagesLabel: string;
  /** False: no pager while everything fits on one page. */
  pagerWhenOnePage?: boolean;
  children: (items: T[]) => ReactNode;
}) {
  return (
    <QueryView query={query} loading={loading} empty={empty} isEmpty={(page) => page.items.length === 0}>
      {(page) => (
        <>
          {children(page.items)}
          {pagerWhenOnePage || page.total > paging.limit ? (
            <Pagination
              label={pagesLabel}
              offset={paging.offset}
              limit={paging.limit}
              total={page.total}
              shown={page.items.length}
              onChange={paging.onOffset}
            />
          ) : null}
        </>
      )}
    </QueryView>
  );
}

/** One page of a list endpoint as a table, with its states and the pager under it; rows are keyed by id. */
export function PagedTable<T extends { id: string }>({
  query,
  paging,
  loading,
  empty,
  pagesLabel,
  ...table
}: Omit<DataTableProps<T>, 'items' | 'rowKey'> & {
  query: UseQueryResult<Page<T>>;
  paging: Paging;
  loading: string;
  empty: ReactNode;
  pagesLabel: string;
}) {
  return (
    <PagedView query={query} paging={paging} loading={loading} empty={empty} pagesLabel={pagesLabel}>
      {(items) => <DataTable items={items} rowKey={(item) => item.id} {...table} />}
    </PagedView>
  );
}
