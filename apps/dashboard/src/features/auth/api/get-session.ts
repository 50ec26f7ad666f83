import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { SessionInfo } from '@plumbline/protocol/api';

/** The current session, or null when signed out (401). */
export async function getSession(signal?: AbortSignal): Promise<SessionInfo | null> {
  try {
    const session = await apiRequest<SessionInfo>('/session', { signal });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export const sessionQueryOptions = () =>
  queryOptions({
    queryKey: queryKeys.session,
    queryFn: ({ signal }) => getSession(signal),
    staleTime: 5 * 60_000,
  });

export function useSession() {
  return useQuery(sessionQueryOptions());
}
