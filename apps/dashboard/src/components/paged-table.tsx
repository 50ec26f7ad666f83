import type { Page } from '@plumbline/protocol/api';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
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

/** One page of a list endpoint as a table, with its states and the pager under it. */
export function PagedTable<T>({
  query,
  offset,
  limit,
  onOffset,
  loading,
  empty,
  pagesLabel,
  ...table
}: Omit<DataTableProps<T>, 'items'> & {
  query: UseQueryResult<Page<T>>;
  offset: number;
  limit: number;
  onOffset: (offset: number) => void;
  loading: string;
  empty: ReactNode;
  pagesLabel: string;
}) {
  return (
    <QueryView query={query} loading={loading} empty={empty} isEmpty={(page) => page.items.length === 0}>
      {(page) => (
        <>
          <DataTable items={page.items} {...table} />
          <Pagination label={pagesLabel} offset={offset} limit={limit} total={page.total} shown={page.items.length} onChange={onOffset} />
        </>
      )}
    </QueryView>
  );
}
