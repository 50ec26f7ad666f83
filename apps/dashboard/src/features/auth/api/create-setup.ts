import { useMutation, useQueryClient } from '@tanstack/react-query';
import { queryKeys } from '@/lib/query-keys';
import type { Credentials } from '@plumbline/protocol/api';
import { startSession } from './create-session';

/** Creates the first admin and signs them in. */
export function useCreateSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Credentials) => startSession('/setup', credentials),
    onSuccess: (session) => {
      queryClient.setQueryData(queryKeys.setup, { needed: false });
      queryClient.setQueryData(queryKeys.session, session);
    },
  });
}
