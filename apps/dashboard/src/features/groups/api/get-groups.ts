import type { GroupItem } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type Group = GroupItem;

export interface GroupList {
  items: Group[];
  total: number;
}

export function getGroups(signal?: AbortSignal): Promise<GroupList> {
  return apiRequest<GroupList>('/groups', { signal });
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
