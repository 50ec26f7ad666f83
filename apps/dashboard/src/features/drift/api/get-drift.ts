import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { DriftItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys, type DriftParams } from '@/lib/query-keys';

export interface DriftList {
  items: DriftItem[];
  total: number;
}

export function getDrift(params: DriftParams, signal?: AbortSignal): Promise<DriftList> {
  return apiRequest<DriftList>('/drift', { query: { ...params }, signal });
}

/** Live drift events invalidate ['drift']; the list refetches and keeps rows on screen. */
export const driftQueryOptions = (params: DriftParams) =>
  queryOptions({
    queryKey: queryKeys.driftList(params),
    queryFn: ({ signal }) => getDrift(params, signal),
    placeholderData: keepPreviousData,
  });

export function useDrift(params: DriftParams) {
  return useQuery(driftQueryOptions(params));
}
