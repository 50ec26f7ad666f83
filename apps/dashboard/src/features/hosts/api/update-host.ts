import type { HostUpdate } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';
import { queryKeys } from '@/lib/query-keys';

/** PATCH /hosts/:id: the host moves group or changes tags and is judged again at once. */
export function updateHost(id: string, patch: HostUpdate): Promise<void> {
  return apiRequest<void>(`/hosts/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export function useUpdateHost(id: string) {
  return useRefreshingMutation(
    (patch: HostUpdate) => updateHost(id, patch),
    [queryKeys.hosts, queryKeys.summary, queryKeys.groups, ['audit']],
  );
}
