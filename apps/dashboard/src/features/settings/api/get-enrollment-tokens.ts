import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export interface EnrollmentTokenItem {
  id: string;
  name: string;
  prefix: string;
  group: string | null;
  uses: number;
  maxUses: number | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface EnrollmentTokenList {
  items: EnrollmentTokenItem[];
  total: number;
}

export function getEnrollmentTokens(params: { limit: number; offset: number }, signal?: AbortSignal): Promise<EnrollmentTokenList> {
  return apiRequest<EnrollmentTokenList>('/enrollment-tokens', { query: { ...params }, signal });
}

export const enrollmentTokensQueryOptions = (params: { limit: number; offset: number }) =>
  queryOptions({
    queryKey: queryKeys.enrollmentTokens(params),
    queryFn: ({ signal }) => getEnrollmentTokens(params, signal),
    placeholderData: keepPreviousData,
  });

export function useEnrollmentTokens(params: { limit: number; offset: number }) {
  return useQuery(enrollmentTokensQueryOptions(params));
}
