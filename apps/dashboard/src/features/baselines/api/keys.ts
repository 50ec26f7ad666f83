import { queryKeys } from '@/lib/query-keys';

/**
 * Under the host's detail key: the live feed refreshes a host's details when it changes,
 * and its baseline comparison with them.
 */
export const baselineKeys = {
  all: (hostId: string) => [...queryKeys.host(hostId), 'baseline'] as const,
  meta: (hostId: string) => [...queryKeys.host(hostId), 'baseline', 'meta'] as const,
  comparison: (hostId: string, params: ComparisonParams) => [...queryKeys.host(hostId), 'baseline', 'compare', params] as const,
};

export interface ComparisonParams {
  against: 'own' | 'group';
  limit: number;
  offset: number;
}
