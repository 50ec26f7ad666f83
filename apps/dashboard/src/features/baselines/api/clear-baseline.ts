import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function clearBaseline(hostId: string): Promise<void> {
  return apiRequest<void>(`/hosts/${encodeURIComponent(hostId)}/baseline`, { method: 'DELETE' });
}

export function useClearBaseline(hostId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => clearBaseline(hostId),
    onSuccess: () => void client.invalidateQueries({ queryKey: queryKeys.hosts }),
  });
}
