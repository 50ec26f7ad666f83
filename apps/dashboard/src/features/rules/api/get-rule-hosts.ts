import type { RuleHostItem, Status } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export interface RuleHostsParams extends ListParams {
  status: Status;
}

/** Hosts with this result for the rule, longest failing first. */
export const ruleHostsQueryOptions = (id: string, params: RuleHostsParams) =>
  listQueryOptions<RuleHostItem>(queryKeys.ruleHosts(id, params), `/rules/${encodeURIComponent(id)}/hosts`, params);

export function useRuleHosts(id: string, params: RuleHostsParams) {
  return useQuery(ruleHostsQueryOptions(id, params));
}
