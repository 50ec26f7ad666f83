import type { WebhookItem } from '@plumbline/protocol/outbound';
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface WebhookList {
  items: WebhookItem[];
  total: number;
}

export function getWebhooks(params: { limit: number; offset: number }, signal?: AbortSignal): Promise<WebhookList> {
  return apiRequest<WebhookList>('/webhooks', { query: { ...params }, signal });
}

export const webhooksQueryOptions = (params: { limit: number; offset: number }) =>
  queryOptions({ queryKey: ['webhooks', params], queryFn: ({ signal }) => getWebhooks(params, signal), placeholderData: keepPreviousData });

export function useWebhooks(params: { limit: number; offset: number }) {
  return useQuery(webhooksQueryOptions(params));
}
