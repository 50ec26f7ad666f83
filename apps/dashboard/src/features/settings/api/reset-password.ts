import type { PasswordReset } from '@plumbline/protocol/api';
import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

/** POST /users/:id/password-reset: a one-time password, shown once; the user's sessions end. */
export function resetPassword(id: string): Promise<PasswordReset> {
  return apiRequest<PasswordReset>(`/users/${encodeURIComponent(id)}/password-reset`, { method: 'POST' });
}

export function useResetPassword() {
  return useRefreshingMutation(resetPassword, [['audit']], 'settled');
}
