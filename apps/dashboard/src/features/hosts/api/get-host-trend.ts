import type { Trend } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getHostTrend(id: string, bucket: 'hour' | 'day', signal?: AbortSignal): Promise<Trend> {
  return apiRequest<Trend>(`/hosts/${encodeURIComponent(id)}/trend?bucket=${bucket}`, { signal });
}

export const hostTrendQueryOptions = (id: string, bucket: 'hour' | 'day') =>
  queryOptions({
    // Under the host's key, which live events for this host invalidate.
    queryKey: [...queryKeys.host(id), 'trend', bucket] as const,
    queryFn: ({ signal }) => getHostTrend(id, bucket, signal),
  });

export function useHostTrend(id: string, bucket: 'hour' | 'day' = 'hour') {
  return useQuery(hostTrendQueryOptions(id, bucket));
}
