import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { FactChangeItem, Page } from '@plumbline/protocol/api';

export interface ChangesParams {
  limit: number;
  offset: number;
}

export function getHostChanges(id: string, params: ChangesParams, signal?: AbortSignal): Promise<Page<FactChangeItem>> {
  return apiRequest<Page<FactChangeItem>>(`/hosts/${encodeURIComponent(id)}/changes`, {
    query: { limit: params.limit, offset: params.offset },
    signal,
  });
}

export const hostChangesQueryOptions = (id: string, params: ChangesParams) =>
  queryOptions({
    queryKey: queryKeys.hostChanges(id, params),
    queryFn: ({ signal }) => getHostChanges(id, params, signal),
    placeholderData: keepPreviousData,
  });

export function useHostChanges(id: string, params: ChangesParams) {
  return useQuery(hostChangesQueryOptions(id, params));
}
