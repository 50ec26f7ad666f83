import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiKeyCreate, ApiKeyCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';

export function createApiKey(input: ApiKeyCreate): Promise<ApiKeyCreated> {
  return apiRequest<ApiKeyCreated>('/api-keys', { method: 'POST', body: input });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createApiKey,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['audit'] }), client.invalidateQueries({ queryKey: ['api-keys'] })]),
  });
}
