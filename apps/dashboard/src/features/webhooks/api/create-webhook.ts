import type { WebhookCreateInput, WebhookCreated } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function createWebhook(input: WebhookCreateInput): Promise<WebhookCreated> {
  return apiRequest<WebhookCreated>('/webhooks', { method: 'POST', body: input });
}

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createWebhook,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['webhooks'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
