import { queryOptions, useQuery } from '@tanstack/react-query';
import type { Page, ResultItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/**
 * Every result of the host in one request (a profile has a few hundred rules; the API
 * allows 1000), so grouping, filtering and search are instant and need no round trip.
 */
export function getHostResults(id: string, signal?: AbortSignal): Promise<Page<ResultItem>> {
  return apiRequest<Page<ResultItem>>(`/hosts/${encodeURIComponent(id)}/results`, { query: { limit: 1000 }, signal });
}

export const hostResultsQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.hostResults(id),
    queryFn: ({ signal }) => getHostResults(id, signal),
  });

export function useHostResults(id: string) {
  return useQuery(hostResultsQueryOptions(id));
}
