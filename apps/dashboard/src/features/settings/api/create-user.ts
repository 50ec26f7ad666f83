import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export interface UserInput {
  email: string;
  role: 'admin' | 'operator' | 'auditor';
  password: string;
}

export function createUser(input: UserInput): Promise<{ id: string }> {
  return apiRequest<{ id: string }>('/users', { method: 'POST', body: input });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({ mutationFn: createUser, onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['users'] }), client.invalidateQueries({ queryKey: ['audit'] })]) });
}
