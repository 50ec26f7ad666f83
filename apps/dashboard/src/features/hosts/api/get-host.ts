import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { HostDetail } from '@plumbline/protocol/api';

export function getHost(id: string, signal?: AbortSignal): Promise<HostDetail> {
  return apiRequest<HostDetail>(`/hosts/${encodeURIComponent(id)}`, { signal });
}

export const hostQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.host(id),
    queryFn: ({ signal }) => getHost(id, signal),
    // Digests move lastSeenAt without a live event; refresh now and then as well.
    refetchInterval: 60_000,
  });

export function useHost(id: string) {
  return useQuery(hostQueryOptions(id));
}
