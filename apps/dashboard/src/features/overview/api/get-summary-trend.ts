import type { Trend } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export interface SummaryTrendParams {
  group?: string;
  since?: string;
  bucket: 'hour' | 'day';
}

export function getSummaryTrend(params: SummaryTrendParams, signal?: AbortSignal): Promise<Trend> {
  const q = new URLSearchParams({ bucket: params.bucket });
  if (params.group) q.set('group', params.group);
  if (params.since) q.set('since', params.since);
  return apiRequest<Trend>(`/summary/trend?${q}`, { signal });
}

export const summaryTrendQueryOptions = (params: SummaryTrendParams) =>
  queryOptions({
    // Under the summary's key: live events that refresh the summary move the last point too.
    queryKey: [...queryKeys.summary, 'trend', params] as const,
    queryFn: ({ signal }) => getSummaryTrend(params, signal),
  });

export function useSummaryTrend(params: SummaryTrendParams) {
  return useQuery(summaryTrendQueryOptions(params));
}
