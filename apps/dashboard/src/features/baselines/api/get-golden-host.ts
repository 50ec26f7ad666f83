import { queryOptions, useQuery } from '@tanstack/react-query';
import type { GoldenHost } from '@plumbline/protocol/api';
import { ApiError, apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';

export const goldenHostKey = (group: string) => [...queryKeys.groups, group, 'golden-host'] as const;

/** The group's golden host, or null while it has none. */
export async function getGoldenHost(group: string, signal?: AbortSignal): Promise<GoldenHost | null> {
  try {
    return await apiRequest<GoldenHost>(`/groups/${encodeURIComponent(group)}/golden-host`, { signal });
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export const goldenHostQueryOptions = (group: string) =>
  queryOptions({ queryKey: goldenHostKey(group), queryFn: ({ signal }) => getGoldenHost(group, signal) });

export function useGoldenHost(group: string | null) {
  return useQuery({ ...goldenHostQueryOptions(group ?? ''), enabled: Boolean(group) });
}
