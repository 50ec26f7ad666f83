import { queryOptions, useQuery } from '@tanstack/react-query';
import type { SetupStatus } from '@plumbline/protocol/access';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export function getSetup(signal?: AbortSignal): Promise<SetupStatus> {
  return apiRequest<SetupStatus>('/setup', { signal });
}

export const setupQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.setup,
    queryFn: ({ signal }) => getSetup(signal),
    staleTime: 60_000,
  });

export function useSetup() {
  return useQuery(setupQueryOptions());
}
