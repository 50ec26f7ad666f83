import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HostsBulkResult, HostsBulkUpdate, HostsFilter } from '@plumbline/protocol/api';
import type { z } from 'zod';
import { apiRequest } from '@/lib/api-client';
import { queryKeys, type HostListParams } from '@/lib/query-keys';

/** Which hosts: these ids, or every host the hosts list's filters (and search) match. */
export type BulkTarget = { ids: string[] } | { filter: ListFilter };

/** The API's host filter as the list holds it: every value set, scores as numbers. */
type ListFilter = z.output<typeof HostsFilter>;

/** One change for many hosts: a group (null: none), or tags to add or remove. */
export type BulkChange = Pick<HostsBulkUpdate, 'group' | 'addTags' | 'removeTags'>;

/** The filters (and search) of the list, as the API takes them; empty values left out. */
export function filterOf(params: HostListParams): ListFilter {
  const out: ListFilter = {};
  for (const key of ['q', 'group', 'tag', 'os', 'failing'] as const) if (params[key] !== '') out[key] = params[key];
  if (params.online !== '') out.online = params.online;
  for (const key of ['minScore', 'maxScore'] as const) if (params[key] !== '') out[key] = Number(params[key]);
  return out;
}

/** POST /hosts/bulk: one request, one transaction, one audit entry. */
export function bulkUpdateHosts(target: BulkTarget, change: BulkChange): Promise<HostsBulkResult> {
  return apiRequest<HostsBulkResult>('/hosts/bulk', { method: 'POST', body: { ...target, ...change } });
}

export function useBulkUpdateHosts() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ target, change }: { target: BulkTarget; change: BulkChange }) => bulkUpdateHosts(target, change),
    onSuccess: () =>
      Promise.all([
        client.invalidateQueries({ queryKey: queryKeys.hosts }),
        client.invalidateQueries({ queryKey: queryKeys.summary }),
        client.invalidateQueries({ queryKey: queryKeys.groups }),
        client.invalidateQueries({ queryKey: ['audit'] }),
      ]),
  });
}
