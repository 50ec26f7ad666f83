import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiRequest } from '@/lib/api-client';

export type CredentialKind = 'enrollment-tokens' | 'api-keys';

/** DELETE /enrollment-tokens/:id or /api-keys/:id: revoked at once, kept in the list as revoked. */
export function revokeCredential(kind: CredentialKind, id: string): Promise<void> {
  return apiRequest<void>(`/${kind}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useRevokeCredential(kind: CredentialKind) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeCredential(kind, id),
    onSuccess: () => Promise.all([client.invalidateQueries({ queryKey: [kind] }), client.invalidateQueries({ queryKey: ['audit'] })]),
  });
}
