import type { UserChange, UserItem } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

/** PATCH /users/:id: the server refuses (409) to demote or disable the last active admin. */
export function updateUser(id: string, change: UserChange): Promise<UserItem> {
  return apiRequest<UserItem>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });
}

export function useUpdateUser() {
  return useRefreshingMutation(
    ({ id, change }: { id: string; change: UserChange }) => updateUser(id, change),
    [['users'], ['audit']],
    'settled',
  );
}
