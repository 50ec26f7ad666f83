import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials, SessionInfo } from '@plumbline/protocol/api';

/** Signs in at `path` (`/session`, or `/setup` for the first admin) and keeps the session's CSRF token for later requests. */
export async function startSession(path: '/session' | '/setup', credentials: Credentials): Promise<SessionInfo> {
  const session = await apiRequest<SessionInfo>(path, { method: 'POST', body: credentials });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useCreateSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => startSession('/session', credentials),
    onSuccess: (session) => queryClient.setQueryData(queryKeys.session, session),
  });
}
