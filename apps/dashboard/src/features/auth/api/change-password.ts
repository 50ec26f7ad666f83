import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';
import { queryKeys } from '@/lib/query-keys';
import type { PasswordChange, SessionInfo } from '@plumbline/protocol/api';

/** POST /session/password: the user's other sessions end; this one stays. */
export function changePassword(change: PasswordChange): Promise<SessionInfo> {
  return apiRequest<SessionInfo>('/session/password', { method: 'POST', body: change });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    // A forced change is over: the app opens (everything fetched while it was refused is stale).
    onSuccess: (session) => {
      queryClient.setQueryData(queryKeys.session, session);
      void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== queryKeys.session[0] });
    },
  });
}
