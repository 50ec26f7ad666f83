import type { WebhookDeliveryItem } from '@plumbline/protocol/outbound';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';

export const webhookDeliveriesQueryOptions = (id: string, params: ListParams) =>
  queryOptions({
    ...listQueryOptions<WebhookDeliveryItem>(['webhook-deliveries', id, params], `/webhooks/${encodeURIComponent(id)}/deliveries`, params),
    // Pending deliveries change on their own (retries): refresh while the log is open.
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 3000 : false),
  });

export function useWebhookDeliveries(id: string, params: ListParams) {
  return useQuery(webhookDeliveriesQueryOptions(id, params));
}
