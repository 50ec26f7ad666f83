import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { FleetSummary } from '@plumbline/protocol/api';

export function getSummary(signal?: AbortSignal): Promise<FleetSummary> {
  return apiRequest<FleetSummary>('/summary', { signal });
}

export const summaryQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.summary,
    queryFn: ({ signal }) => getSummary(signal),
    // Live events invalidate it; digests move "online" without one, so poll as well.
    refetchInterval: 60_000,
  });

export function useSummary() {
  return useQuery(summaryQueryOptions());
}
