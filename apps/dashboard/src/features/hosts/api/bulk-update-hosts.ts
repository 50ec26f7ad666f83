import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HostsBulkResult, HostsBulkUpdate } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { queryKeys, type HostListParams } from '@/lib/query-keys';
import { HOST_FILTER_KEYS } from '../utils/host-list-params';

/** Which hosts: these ids, or every host the hosts list's filters (and search) match. */
export type BulkTarget = { ids: string[] } | { filter: Partial<HostListParams> };

/** One change for many hosts: a group (null: none), or tags to add or remove. */
export type BulkChange = Pick<HostsBulkUpdate, 'group' | 'addTags' | 'removeTags'>;

/** The filters (and search) of the list, as the API takes them; empty values left out. */
export function filterOf(params: HostListParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['q', ...HOST_FILTER_KEYS] as const) if (params[key] !== '') out[key] = String(params[key]);
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
