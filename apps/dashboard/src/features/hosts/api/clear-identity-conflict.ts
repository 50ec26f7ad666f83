import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';
import { queryKeys } from '@/lib/query-keys';

/** DELETE /hosts/:id/identity-conflict: refused (409) while another host still reports the same machine id. */
export function clearIdentityConflict(id: string): Promise<void> {
  return apiRequest<void>(`/hosts/${encodeURIComponent(id)}/identity-conflict`, { method: 'DELETE' });
}

export function useClearIdentityConflict(id: string) {
  return useRefreshingMutation(() => clearIdentityConflict(id), [queryKeys.hosts, ['audit']]);
}
