import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';
import type { GroupItem, GroupPolicy } from '@plumbline/protocol/api';
import { queryKeys } from '@/lib/query-keys';

/** Creates the group or replaces its policy; the server re-judges its hosts. */
export function updateGroup(name: string, policy: GroupPolicy): Promise<GroupItem> {
  return apiRequest<GroupItem>(`/groups/${encodeURIComponent(name)}`, { method: 'PUT', body: policy });
}

export function useUpdateGroup() {
  return useRefreshingMutation(
    ({ name, policy }: { name: string; policy: GroupPolicy }) => updateGroup(name, policy),
    [
      queryKeys.groups,
      // Scores move once the hosts are judged again.
      queryKeys.hosts,
      queryKeys.summary,
      ['audit'],
    ],
  );
}
