import type { ApiKeyItem } from '@plumbline/protocol/access';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const apiKeysQueryOptions = (params: ListParams) => listQueryOptions<ApiKeyItem>(queryKeys.apiKeys(params), '/api-keys', params);

export function useApiKeys(params: ListParams) {
  return useQuery(apiKeysQueryOptions(params));
}
