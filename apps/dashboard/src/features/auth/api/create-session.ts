import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials, Session } from './types';

export async function createSession(credentials: Credentials): Promise<Session> {
  const session = await apiRequest<Session>('/session', { method: 'POST', body: credentials });
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
