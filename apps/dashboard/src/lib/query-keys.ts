/**
 * Query keys shared across features, so that the live feed can invalidate what the
 * hosts and overview features cache without importing them.
 */
export interface HostListParams {
  limit: number;
  offset: number;
  q: string;
  sort: string;
  order: 'asc' | 'desc';
}

export const queryKeys = {
  session: ['session'] as const,
  setup: ['setup'] as const,
  hosts: ['hosts'] as const,
  hostLists: ['hosts', 'list'] as const,
  hostList: (params: HostListParams) => ['hosts', 'list', params] as const,
  fleetCounts: ['hosts', 'counts'] as const,
  host: (id: string) => ['hosts', 'detail', id] as const,
  hostChanges: (id: string, params: { limit: number; offset: number }) =>
    ['hosts', 'detail', id, 'changes', params] as const,
};
