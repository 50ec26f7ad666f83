import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { PasswordReset } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';

/** POST /users/:id/password-reset: a one-time password, shown once; the user's sessions end. */
export function resetPassword(id: string): Promise<PasswordReset> {
  return apiRequest<PasswordReset>(`/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' });
}

export function useResetPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: resetPassword,
    onSettled: () => client.invalidateQueries({ queryKey: ['audit'] }),
  });
}
