import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export type UserRole = 'admin' | 'operator' | 'auditor';

export interface UserItem {
  id: string;
  email: string;
  role: UserRole;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
  lastLoginAt: string | null;
}

export interface UserList {
  items: UserItem[];
  total: number;
}

export function getUsers(params: { limit: number; offset: number }, signal?: AbortSignal): Promise<UserList> {
  return apiRequest<UserList>('/users', { query: { ...params }, signal });
}

export const usersQueryOptions = (params: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: queryKeys.users(params),
    queryFn: ({ signal }) => getUsers(params, signal),
    placeholderData: keepPreviousData,
  });

export function useUsers(params: { limit: number; offset: number }) {
  return useQuery(usersQueryOptions(params));
}
