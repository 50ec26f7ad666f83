import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys, type HostListParams } from '@/lib/query-keys';
import type { HostSummary, Page } from '@plumbline/protocol/api';

export function getHosts(params: HostListParams, signal?: AbortSignal): Promise<Page<HostSummary>> {
  return apiRequest<Page<HostSummary>>('/hosts', {
    query: { ...params },
    signal,
  });
}

export const hostsQueryOptions = (params: HostListParams) =>
  queryOptions({
    queryKey: queryKeys.hostList(params),
    queryFn: ({ signal }) => getHosts(params, signal),
    // Keep the current rows on screen while the next page or a live refresh loads.
    placeholderData: keepPreviousData,
    // Digests move lastSeenAt without a live event; refresh now and then as well.
    refetchInterval: 60_000,
  });

export function useHosts(params: HostListParams) {
  return useQuery(hostsQueryOptions(params));
}
