import { appendAuditInTx } from '../audit/repository';
import { AdvisoryLock } from '../db/advisory-locks';
import type { Tx } from '../db/write-batch';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

/**
 * Waivers: governed exceptions for a host, a group or a tag, to a rule (its failures count as
 * waived in scores and results) or to a CVE (its findings are marked waived). Both kinds share
 * the scopes, expiry, approval and audit here.
 */

type Client = PrismaClient | Tx;
export type StoredWaiver = Prisma.WaiverGetPayload<object>;
export type WaiverState = 'requested' | 'active' | 'expired' | 'revoked';

/** What a waiver's scope is matched against. */
export interface WaiverTargetHost {
  id: string;
  groupName: string | null;
  tags: string[];
}

export interface WaiverScopeRef {
  type: string;
  id: string;
}

/** A waiver of a rule (the engine's kind). */
export type RuleWaiver = StoredWaiver & { ruleId: string };

/** Approved, unrevoked, unexpired rule waivers whose scope covers this host, oldest first. */
export async function waiversCovering(prisma: Client, host: WaiverTargetHost, now: Date): Promise<RuleWaiver[]> {
  const scopes: Prisma.WaiverWhereInput[] = [{ scopeType: 'host', scopeId: host.id }];
  if (host.groupName) scopes.push({ scopeType: 'group', scopeId: host.groupName });
  if (host.tags.length) scopes.push({ scopeType: 'tag', scopeId: { in: host.tags } });
  const rows = await prisma.waiver.findMany({
    where: { OR: scopes, ruleId: { not: null }, revokedAt: null, approvedAt: { not: null }, expiresAt: { gt: now } },
    orderBy: { createdAt: 'asc' },
  });
  return rows as RuleWaiver[];
}

/**
 * Waivers of these CVEs in force at `at` (approved and requested by then, not revoked by then, not
 * yet expired), oldest first: now, or a report's time.
 */
export function cveWaiversInForceAt(prisma: Client, cves: string[], at: Date): Promise<StoredWaiver[]> {
  if (!cves.length) return Promise.resolve([]);
  return prisma.waiver.findMany({
    where: {
      cve: { in: cves },
      approvedAt: { not: null, lte: at },
      createdAt: { lte: at },
      expiresAt: { gt: at },
      OR: [{ revokedAt: null }, { revokedAt: { gt: at } }],
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Hosts (at most `limit`) whose stored score still counts a waiver that has expired by `now`
 * (the score was computed before the expiry).
 */
export async function hostsCountingExpiredWaivers(prisma: PrismaClient, now: Date, limit: number): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT DISTINCT h.id::text AS id FROM hosts h
     JOIN waivers w ON w.rule_id IS NOT NULL AND w.revoked_at IS NULL AND w.approved_at IS NOT NULL
       AND w.expires_at <= $1::timestamptz AND w.expires_at > h.evaluated_at
       AND ((w.scope_type = 'host' AND w.scope_id = h.id::text)
         OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
         OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags)))
     WHERE h.waived_count > 0
     LIMIT ${Math.trunc(limit)}`,
    now,
  );
  return rows.map((r) => r.id);
}

/** Hosts whose stored score a waiver of this scope affects. */
export async function hostIdsInScope(prisma: PrismaClient, scope: WaiverScopeRef): Promise<string[]> {
  const where: Prisma.HostWhereInput =
    scope.type === 'host' ? { id: scope.id } : scope.type === 'group' ? { groupName: scope.id } : { tags: { has: scope.id } };
  return (await prisma.host.findMany({ where, select: { id: true } })).map((h) => h.id);
}

export function findWaiver(prisma: PrismaClient, id: string): Promise<StoredWaiver | null> {
  return prisma.waiver.findUnique({ where: { id } });
}

/** What a new waiver accepts, and on what terms. */
export interface WaiverTerms {
  justification: string;
  expiresAt: Date;
  actor: string;
  /** Applies at once (approved by its requester) rather than awaiting a second person. */
  approved: boolean;
  now: Date;
}
/** A waiver targets a rule or a CVE (upper case), never both. */
export type NewWaiver = WaiverTerms & ({ ruleId: string; cve?: undefined } | { cve: string; ruleId?: undefined });

/** What an audit entry names a waiver by: its rule or its CVE. */
const targetOf = (w: { ruleId?: string | null; cve?: string | null }) => (w.cve ? { cve: w.cve } : { ruleId: w.ruleId });

const waiverData = (w: NewWaiver, scope: WaiverScopeRef) => ({
  ruleId: w.ruleId ?? null,
  cve: w.cve ?? null,
  scopeType: scope.type,
  scopeId: scope.id,
  justification: w.justification,
  expiresAt: w.expiresAt,
  requestedBy: w.actor,
  ...(w.approved && { approvedBy: w.actor, approvedAt: w.now }),
});

const auditCreate = (tx: Tx, w: NewWaiver, created: StoredWaiver, extra: Record<string, unknown> = {}) =>
  appendAuditInTx(tx, {
    actor: w.actor,
    action: 'waiver.create',
    target: created.id,
    details: {
      ...targetOf(w),
      scope: { type: created.scopeType, id: created.scopeId },
      expiresAt: w.expiresAt.toISOString(),
      justification: w.justification,
      ...extra,
    },
  });

/** Creates one waiver, audited. */
export async function createWaiver(prisma: PrismaClient, w: NewWaiver, scope: WaiverScopeRef): Promise<StoredWaiver> {
  return prisma.$transaction(async (tx) => {
    const created = await tx.waiver.create({ data: waiverData(w, scope) });
    await auditCreate(tx, w, created);
    return created;
  });
}

/**
 * One host waiver for each host failing the rule now (in `group` when given) that is not
 * waived already: no approved waiver in force covers it through any scope, and no host waiver
 * of this rule is in force or awaiting approval. Each is audited. Concurrent calls queue on a
 * lock, so each sees the waivers the others made: a host never gets two.
 */
export async function waiveFailingHosts(
  prisma: PrismaClient,
  w: WaiverTerms & { ruleId: string },
  group: string | null,
): Promise<{ created: StoredWaiver[]; alreadyWaived: number }> {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.waiveFailing);
      const rows = await tx.$queryRawUnsafe<{ id: string; waived: boolean }[]>(
        `SELECT h.id::text AS id, EXISTS (SELECT 1 FROM waivers w
           WHERE w.rule_id = r.rule_id AND w.revoked_at IS NULL AND w.expires_at > $3::timestamptz
             AND ((w.scope_type = 'host' AND w.scope_id = h.id::text)
               OR (w.approved_at IS NOT NULL AND ((w.scope_type = 'group' AND w.scope_id = h.group_name)
                 OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags)))))) AS waived
         FROM rule_results r JOIN hosts h ON h.id = r.host_id
         WHERE r.rule_id = $1 AND r.status = 'fail' AND ($2::text IS NULL OR h.group_name = $2)
         ORDER BY h.hostname, h.id`,
        w.ruleId,
        group,
        w.now,
      );
      const hosts = rows.filter((r) => !r.waived).map((r) => r.id);
      const created = hosts.length
        ? await tx.waiver.createManyAndReturn({ data: hosts.map((id) => waiverData(w, { type: 'host', id })) })
        : [];
      for (const c of created) await auditCreate(tx, w, c, { failingHosts: true });
      return { created, alreadyWaived: rows.length - hosts.length };
    },
    // Calls queue on the lock, and a rule may fail on many hosts.
    { maxWait: 15_000, timeout: 60_000 },
  );
}

/**
 * Approves a waiver awaiting approval by someone other than its requester, audited. The state is
 * checked by the write itself: of approvers racing (or an approval racing a revoke) one changes
 * the row. Answers the row after the attempt and whether this call approved it.
 */
export async function approveWaiver(
  prisma: PrismaClient,
  id: string,
  actor: string,
  now: Date,
): Promise<{ waiver: StoredWaiver; approved: boolean }> {
  return prisma.$transaction(async (tx) => {
    const n = await tx.waiver.updateMany({
      where: { id, approvedAt: null, revokedAt: null, expiresAt: { gt: now }, requestedBy: { not: actor } },
      data: { approvedBy: actor, approvedAt: now },
    });
    const waiver = await tx.waiver.findUniqueOrThrow({ where: { id } });
    if (n.count) await appendAuditInTx(tx, { actor, action: 'waiver.approve', target: id, details: targetOf(waiver) });
    return { waiver, approved: n.count > 0 };
  });
}

/** Revokes a waiver, audited; revoking twice at once revokes (and audits) once. Answers the row. */
export async function revokeWaiver(prisma: PrismaClient, w: StoredWaiver, actor: string): Promise<StoredWaiver> {
  return prisma.$transaction(async (tx) => {
    const n = await tx.waiver.updateMany({ where: { id: w.id, revokedAt: null }, data: { revokedBy: actor, revokedAt: new Date() } });
    if (n.count) await appendAuditInTx(tx, { actor, action: 'waiver.revoke', target: w.id, details: targetOf(w) });
    return tx.waiver.findUniqueOrThrow({ where: { id: w.id } });
  });
}

export interface WaiverFilter {
  state?: WaiverState | undefined;
  ruleId?: string | undefined;
  cve?: string | undefined;
  target?: 'rule' | 'cve' | undefined;
  expiringWithinDays?: number | undefined;
}

/** A page of waivers, soonest expiry first. */
export async function waiversPage(
  prisma: PrismaClient,
  filter: WaiverFilter,
  page: { offset: number; limit: number },
  now: Date,
): Promise<{ rows: StoredWaiver[]; total: number }> {
  const where: Prisma.WaiverWhereInput = {
    ...(filter.ruleId && { ruleId: filter.ruleId }),
    ...(filter.cve && { cve: filter.cve.toUpperCase() }),
    ...(filter.target && { [filter.target === 'rule' ? 'ruleId' : 'cve']: { not: null } }),
  };
  if (filter.state === 'revoked') where.revokedAt = { not: null };
  if (filter.state === 'expired') Object.assign(where, { revokedAt: null, expiresAt: { lte: now } });
  if (filter.state === 'active') Object.assign(where, { revokedAt: null, approvedAt: { not: null }, expiresAt: { gt: now } });
  if (filter.state === 'requested') Object.assign(where, { revokedAt: null, approvedAt: null, expiresAt: { gt: now } });
  if (filter.expiringWithinDays)
    Object.assign(where, {
      revokedAt: null,
      expiresAt: { gt: now, lte: new Date(now.getTime() + filter.expiringWithinDays * 86_400_000) },
    });
  const [rows, total] = await Promise.all([
    prisma.waiver.findMany({ where, orderBy: [{ expiresAt: 'asc' }, { id: 'asc' }], skip: page.offset, take: page.limit }),
    prisma.waiver.count({ where }),
  ]);
  return { rows, total };
}
