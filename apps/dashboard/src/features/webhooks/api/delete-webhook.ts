import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function deleteWebhook(id: string): Promise<unknown> {
  return apiRequest(`/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteWebhook,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['webhooks'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
