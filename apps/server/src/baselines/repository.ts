import { appendAuditInTx } from '../audit/repository';
import type { Tx } from '../db/write-batch';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { readHostFacts } from '../hosts/repository';
import { storedVerdicts } from '../results/repository';

/** Approved baselines: a host's facts and verdicts as someone approved them, and a group's golden host. */

const withHost = { host: { select: { hostname: true } } } as const;
export type BaselineRow = Prisma.HostBaselineGetPayload<{ include: typeof withHost }>;

/**
 * The host's effective baseline, cut down to the facts and verdicts this ingest touched:
 * its own approved baseline, or else its group's golden host's. One query, and only the
 * changed top-level facts leave the database, not the whole approved copy.
 */
export async function effectiveBaseline(tx: Tx, hostId: string, groupName: string | null, facts: string[], rules: string[]) {
  const rows = await tx.$queryRawUnsafe<Array<{ facts: Record<string, unknown> | null; verdicts: Record<string, string> | null }>>(
    `WITH b AS (
       SELECT facts, verdicts, 0 AS pref FROM host_baselines WHERE host_id = $1::uuid
       UNION ALL
       SELECT hb.facts, hb.verdicts, 1 FROM group_golden_hosts g JOIN host_baselines hb ON hb.host_id = g.host_id
       WHERE g.group_name = $2 AND g.host_id <> $1::uuid
       ORDER BY pref LIMIT 1
     )
     SELECT (SELECT jsonb_object_agg(key, value) FROM jsonb_each(b.facts) WHERE key = ANY($3::text[])) AS facts,
            (SELECT jsonb_object_agg(key, value) FROM jsonb_each_text(b.verdicts) WHERE key = ANY($4::text[])) AS verdicts
     FROM b`,
    hostId,
    groupName,
    facts,
    rules,
  );
  const row = rows[0];
  return row ? { facts: row.facts ?? {}, verdicts: row.verdicts ?? {} } : null;
}

/** A host's verdicts as a baseline keeps them: rule id -> status. */
export async function verdictsOf(db: Tx, hostId: string): Promise<Record<string, string>> {
  return Object.fromEntries([...(await storedVerdicts(db, hostId))].map(([ruleId, v]) => [ruleId, v.status]));
}

/**
 * Approves the host's current facts and verdicts as its baseline, audited; null when the host
 * has sent no facts yet (nothing is written).
 */
export async function approveBaseline(
  prisma: PrismaClient,
  host: { id: string; hostname: string },
  actor: string,
  note: string | null,
): Promise<BaselineRow | null> {
  return prisma.$transaction(async (tx) => {
    // The facts and the verdicts are two reads, and each statement sees what was committed when
    // it began: an ingest committing between them would leave facts of one state and verdicts
    // of another. A share lock on the host row waits for an ingest of the host in progress and
    // holds off the next one (ingest locks the row for update) until this commits.
    await tx.$executeRawUnsafe('SELECT 1 FROM hosts WHERE id = $1::uuid FOR SHARE', host.id);
    const facts = await readHostFacts(tx, host.id);
    if (!facts) return null;
    const verdicts = await verdictsOf(tx, host.id);
    const data = {
      facts: facts.facts as Prisma.InputJsonValue,
      verdicts,
      factsObservedAt: facts.observedAt,
      approvedBy: actor,
      approvedAt: new Date(),
      note,
    };
    // Without a nested read, Prisma issues one INSERT ... ON CONFLICT DO UPDATE: approvals
    // racing for a host without a baseline each succeed (the last one stands), none gets a 500.
    const row = await tx.hostBaseline.upsert({ where: { hostId: host.id }, create: { hostId: host.id, ...data }, update: data });
    await appendAuditInTx(tx, {
      actor,
      action: 'baseline.approve',
      target: host.id,
      details: { hostname: host.hostname, note, factsObservedAt: facts.observedAt.toISOString(), verdicts: Object.keys(verdicts).length },
    });
    return { ...row, host: { hostname: host.hostname } };
  });
}

/** A host's own approved baseline, or null. */
export function findBaseline(prisma: PrismaClient, hostId: string): Promise<BaselineRow | null> {
  return prisma.hostBaseline.findUnique({ where: { hostId }, include: withHost });
}

/** Removes a host's baseline, audited; false when it had none (nothing is written). */
export async function clearBaseline(prisma: PrismaClient, host: { id: string; hostname: string }, actor: string): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.hostBaseline.deleteMany({ where: { hostId: host.id } });
    if (!count) return false;
    await appendAuditInTx(tx, { actor, action: 'baseline.clear', target: host.id, details: { hostname: host.hostname } });
    return true;
  });
}

/** The golden host named for a group, or null. */
export async function goldenHostId(prisma: PrismaClient, groupName: string): Promise<string | null> {
  const golden = await prisma.groupGoldenHost.findUnique({ where: { groupName }, select: { hostId: true } });
  return golden?.hostId ?? null;
}
