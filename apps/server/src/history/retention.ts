import { AppError, ErrorCode } from '../errors';
import type { PrismaClient } from '../generated/prisma/client';
import { AdvisoryLock } from '../db/advisory-locks';

const DAY_MS = 86_400_000;
/** Retention runs at most this often; each run only touches rows that crossed the cut-off since. */
export const RETENTION_EVERY_MS = 6 * 3_600_000;
/**
 * How often a server asks whether a run is due. Much shorter than RETENTION_EVERY_MS: a run
 * that could not start (the database away, or busy) is tried again within minutes, not hours,
 * and asking costs one indexed read.
 */
export const RETENTION_CHECK_MS = 10 * 60_000;
/**
 * A run waits this long for a pooled connection. Retention is background work: under a
 * sustained ingest it queues behind the agents' transactions rather than failing after the
 * ORM's default two seconds, as it did at every start-up into a reconnect storm.
 */
const RETENTION_MAX_WAIT_MS = 60_000;

export interface RetentionRun {
  /** The checkpoint: history before it is gone, and reports as of an earlier time are refused. */
  cutoff: Date;
  resultChanges: number;
  factChanges: number;
  driftEvents: number;
}

/**
 * History retention with checkpoints. Verdict history (result_changes) older than the cut-off
 * is thinned to one row per host and rule: the latest at or before the cut-off, which is the
 * state as of the checkpoint, so every report as of a time after it is still exact. Fact changes
 * and drift events older than the cut-off are dropped. Each run is recorded as a checkpoint;
 * the newest one is the earliest time a report can be as of.
 *
 * Returns null when another replica holds the lock or a run happened within RETENTION_EVERY_MS.
 */
export async function pruneHistory(prisma: PrismaClient, now: Date, retentionDays: number): Promise<RetentionRun | null> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  // Most checks find a recent run: answered without holding a connection in a transaction.
  if (await recentRun(prisma, now)) return null;
  return prisma.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRawUnsafe<{ ok: boolean }[]>(
        `SELECT pg_try_advisory_xact_lock(${AdvisoryLock.historyRetention}) AS ok`,
      );
      if (!lock?.ok) return null;
      // Again under the lock: another replica may have run since the check above.
      if (await recentRun(tx, now)) return null;
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
      await tx.historyCheckpoint.create({ data: { cutoff, createdAt: now, resultChanges, factChanges, driftEvents } });
      return { cutoff, resultChanges, factChanges, driftEvents };
    },
    { maxWait: RETENTION_MAX_WAIT_MS, timeout: 10 * 60_000 },
  );
}

type CheckpointReader = Pick<PrismaClient, 'historyCheckpoint'>;

async function recentRun(db: CheckpointReader, now: Date): Promise<boolean> {
  return (
    (await db.historyCheckpoint.findFirst({
      where: { createdAt: { gt: new Date(now.getTime() - RETENTION_EVERY_MS) } },
      select: { id: true },
    })) !== null
  );
}

/** The earliest time the stored history still describes exactly, or null when nothing was pruned yet. */
export async function historyStart(prisma: PrismaClient): Promise<Date | null> {
  const last = await prisma.historyCheckpoint.findFirst({ orderBy: { cutoff: 'desc' }, select: { cutoff: true } });
  return last?.cutoff ?? null;
}

/** Refuses a report as of a time whose history retention has already thinned. */
export async function assertRetained(prisma: PrismaClient, asOf: Date | undefined | null): Promise<void> {
  if (!asOf) return;
  const start = await historyStart(prisma);
  if (start && asOf.getTime() < start.getTime()) {
    throw new AppError(
      ErrorCode.beforeRetention,
      `asOf: history before ${start.toISOString()} is no longer kept (PLUMBLINE_HISTORY_RETENTION_DAYS); ask for a later date`,
    );
  }
}
