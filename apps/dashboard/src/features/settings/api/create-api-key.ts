import type { ApiKeyCreate, ApiKeyCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function createApiKey(input: ApiKeyCreate): Promise<ApiKeyCreated> {
  return apiRequest<ApiKeyCreated>('/api-keys', { method: 'POST', body: input });
}

export function useCreateApiKey() {
  return useRefreshingMutation(createApiKey, [['audit'], ['api-keys']]);
}
