import { AdvisoryLock } from '../db/advisory-locks';
import type { PrismaClient } from '../generated/prisma/client';

/** History retention's checkpoints, and the pruning of verdict, fact, drift and finding history they record. */

export interface PruneCounts {
  resultChanges: number;
  factChanges: number;
  driftEvents: number;
  findingSpans: number;
}

type CheckpointReader = Pick<PrismaClient, 'historyCheckpoint'>;

/** Whether a retention run was recorded after `since`. */
export async function checkpointSince(db: CheckpointReader, since: Date): Promise<boolean> {
  return (await db.historyCheckpoint.findFirst({ where: { createdAt: { gt: since } }, select: { id: true } })) !== null;
}

/** The newest checkpoint's cut-off, or null when nothing was pruned yet. */
export async function latestCutoff(prisma: PrismaClient): Promise<Date | null> {
  const last = await prisma.historyCheckpoint.findFirst({ orderBy: { cutoff: 'desc' }, select: { cutoff: true } });
  return last?.cutoff ?? null;
}

/**
 * In one transaction under the retention lock: thins verdict history before `cutoff` to the
 * latest row per host and rule at or before it, drops fact changes and drift events before it
 * and the finding spans that ended by then, and records the checkpoint. Null (nothing done) when another replica holds the lock or a run
 * was recorded after `recentSince`.
 */
export function pruneBefore(
  prisma: PrismaClient,
  cutoff: Date,
  now: Date,
  recentSince: Date,
  options: { maxWait: number; timeout: number },
): Promise<PruneCounts | null> {
  return prisma.$transaction(async (tx) => {
    const [lock] = await tx.$queryRawUnsafe<{ ok: boolean }[]>(`SELECT pg_try_advisory_xact_lock(${AdvisoryLock.historyRetention}) AS ok`);
    if (!lock?.ok) return null;
    // Again under the lock: another replica may have run since the caller checked.
    if (await checkpointSince(tx, recentSince)) return null;
    const resultChanges = await tx.$executeRawUnsafe(
      `DELETE FROM result_changes c
       WHERE c.observed_at < $1::timestamptz
         AND EXISTS (SELECT 1 FROM result_changes n
                     WHERE n.host_id = c.host_id AND n.rule_id = c.rule_id AND n.observed_at <= $1::timestamptz
                       AND (n.observed_at, n.id) > (c.observed_at, c.id))`,
      cutoff,
    );
    const factChanges = await tx.$executeRawUnsafe(`DELETE FROM fact_changes WHERE observed_at < $1::timestamptz`, cutoff);
    const driftEvents = await tx.$executeRawUnsafe(`DELETE FROM drift_events WHERE observed_at < $1::timestamptz`, cutoff);
    // A finding as of any time from the cut-off on is a span open then (seen_until after it, or
    // none): a span still open at the cut-off is kept however early it began.
    const findingSpans = await tx.$executeRawUnsafe(
      `DELETE FROM vuln_finding_history WHERE seen_until IS NOT NULL AND seen_until <= $1::timestamptz`,
      cutoff,
    );
    const counts = { resultChanges, factChanges, driftEvents, findingSpans };
    await tx.historyCheckpoint.create({ data: { cutoff, createdAt: now, ...counts } });
    return counts;
  }, options);
}
