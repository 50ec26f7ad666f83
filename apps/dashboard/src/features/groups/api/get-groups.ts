import type { GroupItem, Page } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getGroups(signal?: AbortSignal): Promise<Page<GroupItem>> {
  return apiRequest<Page<GroupItem>>('/groups', { signal });
}

export const groupsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.groups,
    queryFn: ({ signal }) => getGroups(signal),
    // Groups change rarely; pickers on several pages share one fetch.
    staleTime: 30_000,
  });

export function useGroups() {
  return useQuery(groupsQueryOptions());
}
