import { appendAuditInTx } from '../audit/repository';
import type { PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../db/write-batch';
import { paged } from '../db/page';

/** Agent credentials and enrollment tokens. */

/** Revokes a host's agent credential, audited once however many revoke it at once. */
export async function revokeAgentCredential(
  prisma: PrismaClient,
  host: { id: string; hostname: string; credentialId: string },
  actor: string,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const n = await tx.agentCredential.updateMany({ where: { id: host.credentialId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (n.count) await appendAuditInTx(tx, { actor, action: 'agent.revoke', target: host.id, details: { hostname: host.hostname } });
  });
}

/** A page of enrollment tokens, newest first. */
export function enrollmentTokenPage(prisma: PrismaClient, page: { offset: number; limit: number }) {
  return paged(
    prisma.enrollmentToken.findMany({ orderBy: { createdAt: 'desc' }, skip: page.offset, take: page.limit }),
    prisma.enrollmentToken.count(),
  );
}

/**
 * Stores a new enrollment token. A group it names is created (with the default policy) if
 * missing, by INSERT ... ON CONFLICT DO NOTHING: tokens created at once for one new group make it once.
 */
export async function insertEnrollmentToken(
  prisma: PrismaClient,
  data: { name: string; prefix: string; tokenHash: string; expiresAt: Date; maxUses: number | null; groupName: string | null },
) {
  if (data.groupName) await prisma.group.createMany({ data: [{ name: data.groupName }], skipDuplicates: true });
  return prisma.enrollmentToken.create({ data });
}

export function enrollmentTokenByHash(prisma: PrismaClient, tokenHash: string) {
  return prisma.enrollmentToken.findUnique({ where: { tokenHash } });
}

export function enrollmentToken(tx: Tx, id: string) {
  return tx.enrollmentToken.findUnique({ where: { id } });
}

/** An agent credential by its secret's hash, with the host it belongs to (if any). */
export function agentCredentialByHash(prisma: PrismaClient, secretHash: string) {
  return prisma.agentCredential.findUnique({
    where: { secretHash },
    select: { id: true, revokedAt: true, host: { select: { id: true } } },
  });
}

/**
 * Counts one use of an enrollment token if it still has one: a single conditional UPDATE, so
 * parallel enrollments with a one-use token take it once. Null when none was left (used up,
 * expired or revoked).
 */
export async function claimEnrollmentUse(tx: Tx, tokenId: string, now: Date): Promise<{ id: string; groupName: string | null } | null> {
  const taken = await tx.$queryRawUnsafe<Array<{ id: string; group_name: string | null }>>(
    `UPDATE enrollment_tokens SET uses = uses + 1
      WHERE id = $1::uuid AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2::timestamptz) AND (max_uses IS NULL OR uses < max_uses)
      RETURNING id::text, group_name`,
    tokenId,
    now,
  );
  const row = taken[0];
  return row ? { id: row.id, groupName: row.group_name } : null;
}
