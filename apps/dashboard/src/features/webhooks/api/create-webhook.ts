import type { WebhookCreated } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface WebhookInput {
  name: string;
  url: string;
  format: 'json' | 'slack';
  filter: { kinds: ('fact' | 'compliance' | 'baseline' | 'identity')[]; minSeverity?: 'low' | 'medium' | 'high' | 'critical'; groups: string[] };
}

export function createWebhook(input: WebhookInput): Promise<WebhookCreated> {
  return apiRequest<WebhookCreated>('/webhooks', { method: 'POST', body: input });
}

export function useCreateWebhook() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createWebhook, onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['webhooks'] }), client.invalidateQueries({ queryKey: ['audit'] })]) });
}
