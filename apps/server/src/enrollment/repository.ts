import { appendAuditInTx } from '../audit/repository';
import type { PrismaClient } from '../generated/prisma/client';

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
export async function enrollmentTokenPage(prisma: PrismaClient, page: { offset: number; limit: number }) {
  const [rows, total] = await Promise.all([
    prisma.enrollmentToken.findMany({ orderBy: { createdAt: 'desc' }, skip: page.offset, take: page.limit }),
    prisma.enrollmentToken.count(),
  ]);
  return { rows, total };
}
