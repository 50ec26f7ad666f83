import type { QueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';

/** A waiver changes scores, results or findings of the hosts it covers: refresh them all. */
export function invalidateAfterWaiverChange(client: QueryClient): Promise<unknown> {
  return Promise.all([
    client.invalidateQueries({ queryKey: queryKeys.waivers }),
    client.invalidateQueries({ queryKey: queryKeys.hosts }),
    client.invalidateQueries({ queryKey: queryKeys.summary }),
    client.invalidateQueries({ queryKey: queryKeys.rules }),
    client.invalidateQueries({ queryKey: queryKeys.vulnerabilities }),
  ]);
}
