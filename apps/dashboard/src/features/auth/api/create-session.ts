import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials, SessionInfo } from '@plumbline/protocol/api';

export async function createSession(credentials: Credentials): Promise<SessionInfo> {
  const session = await apiRequest<SessionInfo>('/session', { method: 'POST', body: credentials });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useCreateSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSession,
    onSuccess: (session) => queryClient.setQueryData(queryKeys.session, session),
  });
}
