import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import type { GroupItem, GroupPolicy } from '@plumbline/protocol/api';
import { queryKeys } from '@/lib/query-keys';

/** Creates the group or replaces its policy; the server re-judges its hosts. */
export function updateGroup(name: string, policy: GroupPolicy): Promise<GroupItem> {
  return apiRequest<GroupItem>(`/groups/${encodeURIComponent(name)}`, { method: 'PUT', body: policy });
}

export function useUpdateGroup() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ name, policy }: { name: string; policy: GroupPolicy }) => updateGroup(name, policy),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.groups }),
        // Scores move once the hosts are judged again.
        client.invalidateQueries({ queryKey: queryKeys.hosts }),
        client.invalidateQueries({ queryKey: queryKeys.summary }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}
