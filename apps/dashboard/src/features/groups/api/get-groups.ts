import type { GroupItem, Page } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const groupsQueryOptions = () =>
  // Groups change rarely; pickers on several pages share one fetch.
  getQueryOptions<Page<GroupItem>>(queryKeys.groups, '/groups', { staleTime: 30_000 });

export function useGroups() {
  return useQuery(groupsQueryOptions());
}
