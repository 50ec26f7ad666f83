import { useQuery } from '@tanstack/react-query';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';
import type { Triage } from '@plumbline/protocol/api';

export const triageQueryOptions = () => getQueryOptions<Triage>(queryKeys.triage, '/triage', { refetchInterval: 60_000 });

export function useTriage() {
  return useQuery(triageQueryOptions());
}
