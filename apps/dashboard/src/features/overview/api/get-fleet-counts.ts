import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

interface HostPage {
  items: { online: boolean }[];
  total: number;
}

export interface FleetCounts {
  total: number;
  online: number;
  offline: number;
}

const PAGE = 200;
const MAX_PAGES = 100;

/**
 * Counts hosts by walking the hosts list. The API has no summary endpoint yet; when
 * one lands (with scores), this file is the only one that changes.
 */
export async function getFleetCounts(signal?: AbortSignal): Promise<FleetCounts> {
  let offset = 0;
  let online = 0;
  let total = 0;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const res = await apiRequest<HostPage>('/hosts', {
      query: { limit: PAGE, offset, sort: 'createdAt', order: 'asc' },
      signal,
    });
    total = res.total;
    online += res.items.filter((h) => h.online).length;
    offset += res.items.length;
    if (res.items.length === 0 || offset >= res.total) break;
  }
  return { total, online, offline: total - online };
}

export const fleetCountsQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.fleetCounts,
    queryFn: ({ signal }) => getFleetCounts(signal),
    // Digests move lastSeenAt without a live event; refresh now and then as well.
    refetchInterval: 60_000,
  });

export function useFleetCounts() {
  return useQuery(fleetCountsQueryOptions());
}
