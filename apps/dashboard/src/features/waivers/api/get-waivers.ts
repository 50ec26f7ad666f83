import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import type { WaiverItem } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys, type WaiverParams } from '@/lib/query-keys';

export interface WaiverList {
  items: WaiverItem[];
  total: number;
}

export function getWaivers(params: WaiverParams, signal?: AbortSignal): Promise<WaiverList> {
  return apiRequest<WaiverList>('/waivers', { query: { ...params }, signal });
}

export const waiversQueryOptions = (params: WaiverParams) =>
  queryOptions({
    queryKey: queryKeys.waiverList(params),
    queryFn: ({ signal }) => getWaivers(params, signal),
    placeholderData: keepPreviousData,
  });

export function useWaivers(params: WaiverParams) {
  return useQuery(waiversQueryOptions(params));
}
