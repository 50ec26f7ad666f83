import type { DriftItem } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions } from '@/lib/list-query';
import { queryKeys, type DriftParams } from '@/lib/query-keys';

/** Live drift events invalidate ['drift']; the list refetches and keeps rows on screen. */
export const driftQueryOptions = (params: DriftParams) => listQueryOptions<DriftItem>(queryKeys.driftList(params), '/drift', params);

export function useDrift(params: DriftParams) {
  return useQuery(driftQueryOptions(params));
}
