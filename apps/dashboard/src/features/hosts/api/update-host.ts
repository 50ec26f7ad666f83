import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HostUpdate } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** PATCH /hosts/:id: the host moves group or changes tags and is judged again at once. */
export function updateHost(id: string, patch: HostUpdate): Promise<void> {
  return apiRequest<void>(`/hosts/${encodeURIComponent(id)}`, { method: 'PATCH', body: patch });
}

export function useUpdateHost(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (patch: HostUpdate) => updateHost(id, patch),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.hosts }),
        client.invalidateQueries({ queryKey: queryKeys.summary }),
        client.invalidateQueries({ queryKey: queryKeys.groups }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}
