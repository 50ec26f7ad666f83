import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface EnrollmentTokenInput {
  name: string;
  expires?: string;
  group?: string;
  maxUses?: number;
}

export function createEnrollmentToken(input: EnrollmentTokenInput): Promise<{ token: string }> {
  return apiRequest<{ token: string }>('/enrollment-tokens', { method: 'POST', body: input });
}

export function useCreateEnrollmentToken() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createEnrollmentToken, onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['audit'] }), client.invalidateQueries({ queryKey: ['enrollment-tokens'] })]) });
}
