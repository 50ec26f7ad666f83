import { apiKeyDeadline, sessionDeadlines } from '../../../access/repository';
import type { DbClient } from '../../../db/open';
import type { Principal } from '../../../plugins/app/auth';
import { SESSION_IDLE_MS } from '../../../plugins/app/auth';

/**
 * When the credential behind a long-lived connection stops being valid: the API key's expiry,
 * or the session's absolute expiry or idle deadline, whichever is first. `null` means it does
 * not expire; `'ended'` that it is already gone (revoked, deleted, disabled or expired).
 * Read from the database each time, so a session kept alive by API use moves its deadline.
 */
export async function credentialDeadline(prisma: DbClient, principal: Principal, now = Date.now()): Promise<number | null | 'ended'> {
  if (principal.kind === 'apikey') {
    const key = await apiKeyDeadline(prisma, principal.id);
    if (!key || key.revokedAt) return 'ended';
    const at = key.expiresAt?.getTime() ?? null;
    return at !== null && at <= now ? 'ended' : at;
  }
  const session = await sessionDeadlines(prisma, principal.sessionId);
  if (!session || session.user.disabledAt) return 'ended';
  const at = Math.min(session.expiresAt.getTime(), session.lastSeenAt.getTime() + SESSION_IDLE_MS);
  return at <= now ? 'ended' : at;
}
