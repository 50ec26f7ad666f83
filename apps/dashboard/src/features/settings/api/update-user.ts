import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserChange, UserItem } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';

/** PATCH /users/:id: the server refuses (409) to demote or disable the last active admin. */
export function updateUser(id: string, change: UserChange): Promise<UserItem> {
  return apiRequest<UserItem>(`/users/${encodeURIComponent(id)}`, { method: 'PATCH', body: change });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: UserChange }) => updateUser(id, change),
    onSettled: () => Promise.all([client.invalidateQueries({ queryKey: ['users'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
