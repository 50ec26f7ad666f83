import type { EnrollmentTokenItem } from '@plumbline/protocol/access';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const enrollmentTokensQueryOptions = (params: ListParams) =>
  listQueryOptions<EnrollmentTokenItem>(queryKeys.enrollmentTokens(params), '/enrollment-tokens', params);

export function useEnrollmentTokens(params: ListParams) {
  return useQuery(enrollmentTokensQueryOptions(params));
}
