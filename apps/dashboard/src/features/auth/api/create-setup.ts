import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest, setCsrfToken } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials, SessionInfo } from '@plumbline/protocol/api';

/** Creates the first admin and signs them in. */
export async function createSetup(credentials: Credentials): Promise<SessionInfo> {
  const session = await apiRequest<SessionInfo>('/setup', { method: 'POST', body: credentials });
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
