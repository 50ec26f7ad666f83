import type { WebhookDeliveryItem } from '@plumbline/protocol/outbound';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export function testWebhook(id: string): Promise<WebhookDeliveryItem> {
  return apiRequest<WebhookDeliveryItem>(`/webhooks/${encodeURIComponent(id)}/test`, { method: 'POST' });
}

export function useTestWebhook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: testWebhook,
    onSuccess: (_d, id) => client.invalidateQueries({ queryKey: ['webhook-deliveries', id] }),
  });
}
