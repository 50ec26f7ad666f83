import { useQuery } from '@tanstack/react-query';
import type { SetupStatus } from '@plumbline/protocol/access';
import { getQueryOptions } from '@/lib/list-query';
import { queryKeys } from '@/lib/query-keys';

export const setupQueryOptions = () => getQueryOptions<SetupStatus>(queryKeys.setup, '/setup', { staleTime: 60_000 });

export function useSetup() {
  return useQuery(setupQueryOptions());
}
