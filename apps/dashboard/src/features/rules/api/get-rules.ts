import type { RuleItem } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions, type ListParams } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export interface RuleListParams extends ListParams {
  q: string;
  /** Filters the server applies ('' or absent = any). */
  severity?: string;
  /** A section id; its subsections match too (e.g. 5 matches 5.2.1). */
  section?: string;
  profile?: string;
  sort?: 'id' | 'failingHosts' | 'severity';
}

/** The rule catalogue, a page at a time. */
export const rulesQueryOptions = (params: RuleListParams) => listQueryOptions<RuleItem>(queryKeys.ruleList(params), '/rules', params);

export function useRules(params: RuleListParams) {
  return useQuery(rulesQueryOptions(params));
}
