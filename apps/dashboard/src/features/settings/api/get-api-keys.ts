import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export interface ApiKeyItem {
  id: string;
  name: string;
  prefix: string;
  role: string;
  /** Newer servers scope a key to a group and may give it an expiry. */
  group?: string | null;
  expiresAt?: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface ApiKeyList {
  items: ApiKeyItem[];
  total: number;
}

export function getApiKeys(params: { limit: number; offset: number }, signal?: AbortSignal): Promise<ApiKeyList> {
  return apiRequest<ApiKeyList>('/api-keys', { query: { ...params }, signal });
}

export const apiKeysQueryOptions = (params: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: queryKeys.apiKeys(params),
    queryFn: ({ signal }) => getApiKeys(params, signal),
    placeholderData: keepPreviousData,
  });

export function useApiKeys(params: { limit: number; offset: number }) {
  return useQuery(apiKeysQueryOptions(params));
}
