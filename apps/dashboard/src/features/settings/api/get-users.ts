import type { UserItem } from '@plumbline/protocol/access';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const usersQueryOptions = (params: ListParams) => listQueryOptions<UserItem>(queryKeys.users(params), '/users', params);

export function useUsers(params: ListParams) {
  return useQuery(usersQueryOptions(params));
}
