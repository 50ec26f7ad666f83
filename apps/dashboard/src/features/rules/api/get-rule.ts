import type { RuleItem } from '@plumbline/protocol/api';
import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

/** The rule's text, references and how many hosts pass and fail it; null when the server knows no such rule. */
export async function getRule(id: string, signal?: AbortSignal): Promise<RuleItem | null> {
  try {
    return await apiRequest<RuleItem>(`/rules/${encodeURIComponent(id)}`, { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const ruleQueryOptions = (id: string) =>
  queryOptions({
    queryKey: queryKeys.rule(id),
    queryFn: ({ signal }) => getRule(id, signal),
    staleTime: 5 * 60_000,
  });

export function useRule(id: string) {
  return useQuery(ruleQueryOptions(id));
}
