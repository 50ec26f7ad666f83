import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function deleteWebhook(id: string): Promise<unknown> {
  return apiRequest(`/webhooks/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteWebhook() {
  return useRefreshingMutation(deleteWebhook, [['webhooks'], ['audit']]);
}
