import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BaselineMeta } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function approveBaseline(hostId: string, note: string): Promise<BaselineMeta> {
  return apiRequest<BaselineMeta>(`/hosts/${encodeURIComponent(hostId)}/baseline`, { method: 'POST', body: note ? { note } : {} });
}

export function useApproveBaseline(hostId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (note: string) => approveBaseline(hostId, note),
    // All hosts, not just this one: other members of its group may compare to this baseline.
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.hosts }),
  });
}
