import { useQuery } from '@tanstack/react-query';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';
import type { FleetSummary } from '@plumbline/protocol/api';

export const summaryQueryOptions = () =>
  // Live events invalidate it; digests move "online" without one, so poll as well.
  getQueryOptions<FleetSummary>(queryKeys.summary, '/summary', { refetchInterval: 60_000 });

export function useSummary() {
  return useQuery(summaryQueryOptions());
}
