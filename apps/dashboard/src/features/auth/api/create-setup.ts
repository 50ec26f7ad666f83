import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials, Session } from './types';

/** Creates the first admin and signs them in. */
export async function createSetup(credentials: Credentials): Promise<Session> {
  const session = await apiRequest<Session>('/setup', { method: 'POST', body: credentials });
  setCsrfToken(session.csrfToken);
  return session;
}

export function useCreateSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createSetup,
    onSuccess: (session) => {
      queryClient.setQueryData(queryKeys.setup, { needed: false });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}
