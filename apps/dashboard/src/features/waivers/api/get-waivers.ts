import type { WaiverItem } from '@plumbline/protocol/api';
import { useQuery } from '@tanstack/react-query';
import { listQueryOptions } from '@/lib/list-query';
import { queryKeys, type WaiverParams } from '@/lib/query-keys';

export const waiversQueryOptions = (params: WaiverParams) => listQueryOptions<WaiverItem>(queryKeys.waiverList(params), '/waivers', params);

export function useWaivers(params: WaiverParams) {
  return useQuery(waiversQueryOptions(params));
}
