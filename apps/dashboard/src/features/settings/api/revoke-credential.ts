import { apiRequest } from '@/lib/api-client';
import { useRefreshingMutation } from '@/lib/mutations';

export type CredentialKind = 'enrollment-tokens' | 'api-keys';

/** DELETE /enrollment-tokens/:id or /api-keys/:id: revoked at once, kept in the list as revoked. */
export function revokeCredential(kind: CredentialKind, id: string): Promise<void> {
  return apiRequest<void>(`/${kind}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useRevokeCredential(kind: CredentialKind) {
  return useRefreshingMutation((id: string) => revokeCredential(kind, id), [[kind], ['audit']]);
}
