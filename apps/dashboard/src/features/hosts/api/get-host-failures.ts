import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { HostFailures, SeverityCounts } from '@plumbline/protocol/api';

export function getHostFailures(ids: string[], signal?: AbortSignal): Promise<HostFailures> {
  const qs = new URLSearchParams(ids.map((id) => ['host', id]));
  return apiRequest<HostFailures>(`/triage/failures?${qs.toString()}`, { signal });
}

/** Failures by severity for the hosts on screen (one request per page, up to 200 hosts). */
export function useHostFailures(ids: string[]) {
  return useQuery({
    ...queryOptions({
      queryKey: queryKeys.hostFailures(ids),
      queryFn: ({ signal }) => getHostFailures(ids.slice(0, 200), signal),
      placeholderData: keepPreviousData,
      enabled: ids.length > 0,
    }),
    select: (data) => new Map<string, SeverityCounts>(data.items.map((i) => [i.hostId, i.failures])),
  });
}
