import type { Page } from '@plumbline/protocol/api';
import { keepPreviousData, queryOptions, type QueryKey } from '@tanstack/react-query';
import { apiRequest } from './api-client';

/** Paging of every list endpoint. */
export interface ListParams {
  limit: number;
  offset: number;
}

type QueryParams<P> = { [K in keyof P]: string | number | undefined | null };

/** A paged list endpoint: the current rows stay on screen while the next page or a refresh loads. */
export function listQueryOptions<T, K extends QueryKey = QueryKey, P extends QueryParams<P> = ListParams>(
  queryKey: K,
  path: string,
  params: P,
) {
  return queryOptions({
    queryKey,
    queryFn: ({ signal }) => apiRequest<Page<T>>(path, { query: { ...params }, signal }),
    placeholderData: keepPreviousData,
  });
}

/** A GET endpoint's query under `queryKey`; `options` say how long it stays fresh or how often it polls. */
export function getQueryOptions<T, K extends QueryKey = QueryKey>(
  queryKey: K,
  path: string,
  options: { staleTime?: number; refetchInterval?: number } = {},
) {
  return queryOptions({ queryKey, queryFn: ({ signal }) => apiRequest<T>(path, { signal }), ...options });
}
