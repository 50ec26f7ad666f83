import type { UserCreate, UserCreated } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export function createUser(input: UserCreate): Promise<UserCreated> {
  return apiRequest<UserCreated>('/users', { method: 'POST', body: input });
}

export function useCreateUser() {
  return useRefreshingMutation(createUser, [['users'], ['audit']]);
}
