import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** DELETE /hosts/:id/identity-conflict: refused (409) while another host still reports the same machine id. */
export function clearIdentityConflict(id: string): Promise<void> {
  return apiRequest<void>(`/hosts/${encodeURIComponent(id)}/identity-conflict`, { method: 'DELETE' });
}

export function useClearIdentityConflict(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => clearIdentityConflict(id),
    onSuccess: () =>
      Promise.all([client.invalidateQueries({ queryKey: queryKeys.hosts }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
