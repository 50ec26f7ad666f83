import type { WebhookItem } from '@plumbline/protocol/outbound';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';

export const webhooksQueryOptions = (params: ListParams) => listQueryOptions<WebhookItem>(['webhooks', params], '/webhooks', params);

export function useWebhooks(params: ListParams) {
  return useQuery(webhooksQueryOptions(params));
}
