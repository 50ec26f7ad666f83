import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { BaselineComparison } from '@plumbline/protocol/api';
import { ApiError, apiRequest } from '@/lib/api-client';
import { NO_BASELINE } from './get-baseline';
import { baselineKeys, type ComparisonParams } from './keys';

export type ComparisonResult = { kind: 'compared'; comparison: BaselineComparison } | { kind: 'none'; reason: string };

/** The host's differences from a baseline; `none` (with the server's reason) when there is nothing to compare to. */
export async function getBaselineComparison(hostId: string, params: ComparisonParams, signal?: AbortSignal): Promise<ComparisonResult> {
  try {
    const comparison = await apiRequest<BaselineComparison>(`/hosts/${encodeURIComponent(hostId)}/baseline/compare`, {
      query: { against: params.against, limit: params.limit, offset: params.offset },
      signal,
    });
    return { kind: 'compared', comparison };
  } catch (err) {
    if (err instanceof ApiError && err.code === NO_BASELINE) return { kind: 'none', reason: err.message };
    throw err;
  }
}

export const baselineComparisonQueryOptions = (hostId: string, params: ComparisonParams) =>
  queryOptions({
    queryKey: baselineKeys.comparison(hostId, params),
    queryFn: ({ signal }) => getBaselineComparison(hostId, params, signal),
    placeholderData: keepPreviousData,
  });

export function useBaselineComparison(hostId: string, params: ComparisonParams, enabled = true) {
  return useQuery({ ...baselineComparisonQueryOptions(hostId, params), enabled });
}
