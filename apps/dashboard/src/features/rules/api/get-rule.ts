import { queryOptions, useQuery } from '@tanstack/react-query';
import type { ResultItem } from '@plumbline/protocol/api';
import { ApiError, apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import { getRuleHosts } from './get-rule-hosts';
import type { RuleView } from './types';

/**
 * The rule's text and references. GET /rules/:id when the server has it; servers without
 * that route answer 404 "no route", and then the rule is read from one host's result for it.
 */
export async function getRule(id: string, signal?: AbortSignal): Promise<RuleView | null> {
  try {
    return await apiRequest<RuleView>(`/rules/${encodeURIComponent(id)}`, { signal });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404 && /no route/i.test(err.message))) {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    }
  }
  for (const status of ['fail', 'pass', 'error', 'notapplicable']) {
    const hosts = await getRuleHosts(id, { status, limit: 1, offset: 0 }, signal).catch((err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    });
    if (hosts === null) return null;
    const host = hosts.items[0]?.host;
    if (!host) continue;
    const results = await apiRequest<{ items: ResultItem[] }>(`/hosts/${encodeURIComponent(host.id)}/results`, {
      query: { q: id, limit: 50 },
      signal,
    });
    const r = results.items.find((x) => x.ruleId === id);
    if (r) {
      return {
        id: r.ruleId,
        title: r.title,
        rationale: r.rationale,
        severity: r.severity,
        levels: r.levels,
        section: r.section,
        references: r.references,
        remediation: r.remediation,
      };
    }
  }
  return null;
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
