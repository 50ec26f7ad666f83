import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { RuleHostList } from './types';

export interface RuleHostsParams {
  status: string;
  limit: number;
  offset: number;
}

/** Hosts with this result for the rule, longest failing first. */
export function getRuleHosts(id: string, params: RuleHostsParams, signal?: AbortSignal): Promise<RuleHostList> {
  return apiRequest<RuleHostList>(`/rules/${encodeURIComponent(id)}/hosts`, { query: { ...params }, signal });
}

export const ruleHostsQueryOptions = (id: string, params: RuleHostsParams) =>
  queryOptions({
    queryKey: queryKeys.ruleHosts(id, params),
    queryFn: ({ signal }) => getRuleHosts(id, params, signal),
    placeholderData: keepPreviousData,
  });

export function useRuleHosts(id: string, params: RuleHostsParams) {
  return useQuery(ruleHostsQueryOptions(id, params));
}
