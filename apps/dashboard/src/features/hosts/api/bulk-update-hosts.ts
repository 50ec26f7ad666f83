import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { HostSummary, Page } from '@plumbline/protocol/api';
import { apiRequest, ApiError } from '@/lib/api-client';
import { queryKeys, type HostListParams } from '@/lib/query-keys';
import { HOST_FILTER_KEYS } from '../utils/host-list-params';

/** Which hosts: these ids, or every host the hosts list's filters (and search) match. */
export type BulkTarget = { ids: string[] } | { filter: Partial<HostListParams> };

/** One change for many hosts: a group (null: none), or tags to add or remove. */
export interface BulkChange {
  group?: string | null;
  addTags?: string[];
  removeTags?: string[];
}

export interface BulkResult {
  matched: number;
  updated: number;
}

/** The filters (and search) of the list, as the API takes them; empty values left out. */
export function filterOf(params: HostListParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['q', ...HOST_FILTER_KEYS] as const) if (params[key] !== '') out[key] = String(params[key]);
  return out;
}

/**
 * POST /hosts/bulk: one request, one audit entry. A server without that route (404) gets the
 * change host by host through PATCH /hosts/:id instead, the ids read from the filtered list.
 */
export async function bulkUpdateHosts(target: BulkTarget, change: BulkChange): Promise<BulkResult> {
  try {
    return await apiRequest<BulkResult>('/hosts/bulk', { method: 'POST', body: { ...target, ...change } });
  } catch (err) {
    if (!(err instanceof ApiError) || (err.status !== 404 && err.status !== 405)) throw err;
  }
  const hosts = await targetHosts(target);
  for (const h of hosts) {
    const tags = new Set(h.tags);
    for (const t of change.addTags ?? []) tags.add(t);
    for (const t of change.removeTags ?? []) tags.delete(t);
    await apiRequest<void>(`/hosts/${encodeURIComponent(h.id)}`, {
      method: 'PATCH',
      body: {
        ...(change.group !== undefined && { group: change.group }),
        ...((change.addTags || change.removeTags) && { tags: [...tags] }),
      },
    });
  }
  return { matched: hosts.length, updated: hosts.length };
}

async function targetHosts(target: BulkTarget): Promise<HostSummary[]> {
  const query = 'ids' in target ? {} : target.filter;
  const wanted = 'ids' in target ? new Set(target.ids) : null;
  const out: HostSummary[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await apiRequest<Page<HostSummary>>('/hosts', { query: { ...query, limit: 500, offset, sort: 'hostname' } });
    out.push(...page.items.filter((h) => !wanted || wanted.has(h.id)));
    if (page.items.length < 500 || (wanted && out.length === wanted.size)) return out;
  }
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
