import { AppError, ErrorCode } from '../errors';
import type { DbClient } from '../db/open';
import { checkpointSince, latestCutoff, pruneBefore } from './repository';

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
  findingSpans: number;
}

/**
 * History retention with checkpoints. Verdict history (result_changes) older than the cut-off
 * is thinned to one row per host and rule: the latest at or before the cut-off, which is the
 * state as of the checkpoint, so every report as of a time after it is still exact. Known-
 * vulnerability finding spans (vuln_finding_history) that ended by the cut-off are dropped; one
 * still open then is kept, so the findings as of any time after it are still exact. Fact changes
 * and drift events older than the cut-off are dropped. Each run is recorded as a checkpoint;
 * the newest one is the earliest time a report can be as of.
 *
 * Returns null when another replica holds the lock or a run happened within RETENTION_EVERY_MS.
 */
export async function pruneHistory(prisma: DbClient, now: Date, retentionDays: number): Promise<RetentionRun | null> {
  const cutoff = new Date(now.getTime() - retentionDays * DAY_MS);
  const recentSince = new Date(now.getTime() - RETENTION_EVERY_MS);
  // Most checks find a recent run: answered without holding a connection in a transaction.
  if (await checkpointSince(prisma, recentSince)) return null;
  const counts = await pruneBefore(prisma, cutoff, now, recentSince, { maxWait: RETENTION_MAX_WAIT_MS, timeout: 10 * 60_000 });
  return counts && { cutoff, ...counts };
}

/** Refuses a report as of a time whose history retention has already thinned. */
export async function assertRetained(prisma: DbClient, asOf: Date | undefined | null): Promise<void> {
  if (!asOf) return;
  // The earliest time the stored history still describes exactly (null: nothing pruned yet).
  const start = await latestCutoff(prisma);
  if (start && asOf.getTime() < start.getTime()) {
    throw new AppError(
      ErrorCode.beforeRetention,
      `asOf: history before ${start.toISOString()} is no longer kept (PLUMBLINE_HISTORY_RETENTION_DAYS); ask for a later date`,
    );
  }
}
