import type { DbClient } from '../db/open';
import type { Tx } from '../db/write-batch';
import { agentCredentialByHash, claimEnrollmentUse, enrollmentToken, enrollmentTokenByHash } from './repository';
import { hashSecret, SecretKind, secretKind } from '../crypto';
import { AppError, ErrorCode } from '../errors';

/** Who is knocking at the agent gateway, decided before the WebSocket upgrade. */
export type AgentAuth =
  { kind: 'enrollment'; tokenId: string; groupName: string | null } | { kind: 'credential'; credentialId: string; hostId: string };

/** Checks an agent's bearer secret; null when it is unknown, expired, used up or revoked. */
export async function authenticateAgent(prisma: DbClient, bearer: string, now = new Date()): Promise<AgentAuth | null> {
  const kind = secretKind(bearer);
  if (kind === SecretKind.enrollment) {
    const token = await enrollmentTokenByHash(prisma, hashSecret(bearer));
    if (!token || !enrollmentUsable(token, now)) return null;
    return { kind: 'enrollment', tokenId: token.id, groupName: token.groupName };
  }
  if (kind === SecretKind.agent) {
    const cred = await agentCredentialByHash(prisma, hashSecret(bearer));
    if (!cred || cred.revokedAt || !cred.host) return null;
    return { kind: 'credential', credentialId: cred.id, hostId: cred.host.id };
  }
  return null;
}

export function enrollmentUsable(
  token: { revokedAt: Date | null; expiresAt: Date | null; maxUses: number | null; uses: number },
  now: Date,
): boolean {
  if (token.revokedAt) return false;
  if (token.expiresAt && token.expiresAt <= now) return false;
  if (token.maxUses !== null && token.uses >= token.maxUses) return false;
  return true;
}

/**
 * Counts one use of an enrollment token, in the enrolling transaction, if it still has one:
 * a single conditional UPDATE, so twenty agents saying hello at once with a one-use token
 * enroll one host (reading `uses` and writing `uses + 1` apart let every one of them through).
 * Throws PLUMBLINE_ERR_AGENT_ENROLLMENT, saying why, when the token is used up, expired or revoked.
 */
export async function takeEnrollmentUse(tx: Tx, tokenId: string, now: Date): Promise<{ id: string; groupName: string | null }> {
  const taken = await claimEnrollmentUse(tx, tokenId, now);
  if (taken) return taken;
  const token = await enrollmentToken(tx, tokenId);
  const why =
    !token || token.revokedAt
      ? 'was revoked'
      : token.expiresAt && token.expiresAt <= now
        ? 'has expired'
        : `is used up (${token.uses} of ${token.maxUses} uses)`;
  throw new AppError(ErrorCode.agentEnrollment, `the enrollment token ${why}; create a new one`);
}

export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}
