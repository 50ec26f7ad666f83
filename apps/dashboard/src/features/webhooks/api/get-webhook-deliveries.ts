import type { WebhookDeliveryItem } from '@plumbline/protocol/outbound';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface DeliveryList {
  items: WebhookDeliveryItem[];
  total: number;
}

export function getWebhookDeliveries(id: string, params: { limit: number; offset: number }, signal?: AbortSignal): Promise<DeliveryList> {
  return apiRequest<DeliveryList>(`/webhooks/${encodeURIComponent(id)}/deliveries`, { query: { ...params }, signal });
}

export const webhookDeliveriesQueryOptions = (id: string, params: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: ['webhook-deliveries', id, params],
    queryFn: ({ signal }) => getWebhookDeliveries(id, params, signal),
    placeholderData: keepPreviousData,
    // Pending deliveries change on their own (retries): refresh while the log is open.
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? 3000 : false),
  });

export function useWebhookDeliveries(id: string, params: { limit: number; offset: number }) {
  return useQuery(webhookDeliveriesQueryOptions(id, params));
}
