import { queryOptions, useQuery } from '@tanstack/react-query';
import type { BaselineDetail } from '@plumbline/protocol/api';
import { ApiError, apiRequest } from '@/lib/api-client';
import { baselineKeys } from './keys';

export const NO_BASELINE = 'PLUMBLINE_ERR_NO_BASELINE';

/** The host's approved baseline, or null while none is approved (not an error for the page). */
export async function getBaseline(hostId: string, signal?: AbortSignal): Promise<BaselineDetail | null> {
  try {
    return await apiRequest<BaselineDetail>(`/hosts/${encodeURIComponent(hostId)}/baseline`, { signal });
  } catch (err) {
    if (err instanceof ApiError && err.code === NO_BASELINE) return null;
    throw err;
  }
}

export const baselineQueryOptions = (hostId: string) =>
  queryOptions({ queryKey: baselineKeys.meta(hostId), queryFn: ({ signal }) => getBaseline(hostId, signal) });

export function useBaseline(hostId: string) {
  return useQuery(baselineQueryOptions(hostId));
}
