import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface ApiKeyInput {
  name: string;
  role: 'admin' | 'operator' | 'auditor';
}

export function createApiKey(input: ApiKeyInput): Promise<{ key: string }> {
  return apiRequest<{ key: string }>('/api-keys', { method: 'POST', body: input });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createApiKey, onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['audit'] }), client.invalidateQueries({ queryKey: ['api-keys'] })]) });
}
