import type { WebhookCreateInput, WebhookCreated } from '@plumbline/protocol/outbound';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function createWebhook(input: WebhookCreateInput): Promise<WebhookCreated> {
  return apiRequest<WebhookCreated>('/webhooks', { method: 'POST', body: input });
}

export function useCreateWebhook() {
  return useRefreshingMutation(createWebhook, [['webhooks'], ['audit']]);
}
