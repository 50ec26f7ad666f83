import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Page, RuleItem } from '@plumbline/protocol/api';

export interface RuleListParams {
  q: string;
  limit: number;
  offset: number;
  /** Filters the server applies ('' or absent = any). */
  severity?: string;
  /** A section id; its subsections match too (e.g. 5 matches 5.2.1). */
  section?: string;
  profile?: string;
  sort?: 'id' | 'failingHosts' | 'severity';
}

/** The rule catalogue; null when the server has no GET /rules yet. */
export async function getRules(params: RuleListParams, signal?: AbortSignal): Promise<Page<RuleItem> | null> {
  try {
    return await apiRequest<Page<RuleItem>>('/rules', { query: { ...params }, signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const rulesQueryOptions = (params: RuleListParams) =>
  queryOptions({
    queryKey: queryKeys.ruleList(params),
    queryFn: ({ signal }) => getRules(params, signal),
    placeholderData: keepPreviousData,
  });

export function useRules(params: RuleListParams) {
  return useQuery(rulesQueryOptions(params));
}
