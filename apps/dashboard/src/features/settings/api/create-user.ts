import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { UserCreate, UserCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';

export function createUser(input: UserCreate): Promise<UserCreated> {
  return apiRequest<UserCreated>('/users', { method: 'POST', body: input });
}

export function useCreateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: ['users'] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
