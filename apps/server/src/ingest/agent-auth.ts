import type { PrismaClient } from '../generated/prisma/client';
import { hashSecret, SecretKind, secretKind } from '../crypto';

/** Who is knocking at the agent gateway, decided before the WebSocket upgrade. */
export type AgentAuth =
  | { kind: 'enrollment'; tokenId: string; groupName: string | null }
  | { kind: 'credential'; credentialId: string; hostId: string };

/** Checks an agent's bearer secret; null when it is unknown, expired, used up or revoked. */
export async function authenticateAgent(prisma: PrismaClient, bearer: string, now = new Date()): Promise<AgentAuth | null> {
  const kind = secretKind(bearer);
  if (kind === SecretKind.enrollment) {
    const token = await prisma.enrollmentToken.findUnique({ where: { tokenHash: hashSecret(bearer) } });
    if (!token || !enrollmentUsable(token, now)) return null;
    return { kind: 'enrollment', tokenId: token.id, groupName: token.groupName };
  }
  if (kind === SecretKind.agent) {
    const cred = await prisma.agentCredential.findUnique({
      where: { secretHash: hashSecret(bearer) },
      select: { id: true, revokedAt: true, host: { select: { id: true } } },
    });
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

export function bearerOf(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1] ?? null;
}
