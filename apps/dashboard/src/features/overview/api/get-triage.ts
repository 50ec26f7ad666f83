import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Triage } from '@plumbline/protocol/api';

export function getTriage(signal?: AbortSignal): Promise<Triage> {
  return apiRequest<Triage>('/triage', { signal });
}

export const triageQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.triage,
    queryFn: ({ signal }) => getTriage(signal),
    refetchInterval: 60_000,
  });

export function useTriage() {
  return useQuery(triageQueryOptions());
}
