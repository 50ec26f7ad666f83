import type { Waiver } from '@plumbline/benchmarks/schema';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

/** A waiver row as the ingest reads it (the columns the engine's form needs). */
export interface WaiverRow {
  id: string;
  ruleId: string;
  scopeType: string;
  scopeId: string;
  justification: string;
  expiresAt: Date;
  requestedBy: string;
  approvedBy: string | null;
}

export interface WaiverTargetHost {
  id: string;
  groupName: string | null;
  tags: string[];
}

/** Approved, unrevoked, unexpired waivers whose scope covers this host, in the engine's form. */
export async function activeWaivers(prisma: PrismaClient | Prisma.TransactionClient, host: WaiverTargetHost, now: Date): Promise<Waiver[]> {
  const scopes: Prisma.WaiverWhereInput[] = [{ scopeType: 'host', scopeId: host.id }];
  if (host.groupName) scopes.push({ scopeType: 'group', scopeId: host.groupName });
  if (host.tags.length) scopes.push({ scopeType: 'tag', scopeId: { in: host.tags } });
  const rows = await prisma.waiver.findMany({
    where: { OR: scopes, revokedAt: null, approvedAt: { not: null }, expiresAt: { gt: now } },
    orderBy: { createdAt: 'asc' },
  });
  return rows.map(toEngineWaiver);
}

type WaiverFields = Pick<
  Prisma.WaiverGetPayload<object>,
  'id' | 'ruleId' | 'scopeType' | 'scopeId' | 'justification' | 'expiresAt' | 'requestedBy' | 'approvedBy'
>;

export function toEngineWaiver(w: WaiverFields): Waiver & { id: string } {
  const key = w.scopeType === 'host' ? 'hosts' : w.scopeType === 'group' ? 'groups' : 'tags';
  return {
    id: w.id,
    ruleId: w.ruleId,
    scope: { [key]: [w.scopeId] },
    justification: w.justification,
    approver: w.approvedBy ?? w.requestedBy,
    expiresAt: w.expiresAt,
  };
}

/** The engine matches host scopes by this name: we scope by host id. */
export const waiverTarget = (host: WaiverTargetHost) => ({
  hostname: host.id,
  groups: host.groupName ? [host.groupName] : [],
  tags: host.tags,
});
