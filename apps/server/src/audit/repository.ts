import type { PrismaClient } from '../generated/prisma/client';

/** A page of the audit trail, newest first, filtered by action and/or actor. */
export async function auditPage(
  prisma: PrismaClient,
  filter: { action?: string; actor?: string },
  page: { offset: number; limit: number },
) {
  const where = { ...(filter.action && { action: filter.action }), ...(filter.actor && { actor: filter.actor }) };
  const [rows, total] = await Promise.all([
    prisma.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, skip: page.offset, take: page.limit }),
    prisma.auditEntry.count({ where }),
  ]);
  return { rows, total };
}
