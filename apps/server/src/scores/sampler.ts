import type { DbClient } from '../db/open';
import { dropScoreSamples, insertScoreSamples, thinScoreSamples } from './repository';

/** Hourly samples are kept this long; older ones are thinned to the last of each UTC day. */
export const HOURLY_DAYS = 14;
const DAY_MS = 86_400_000;

/**
 * Writes one sample of every host's score and of each group's and the fleet's, in one
 * statement, from what ingest already keeps on the host rows. A sample is skipped when the
 * fleet already has a sample within half an interval of `now`, so replicas and quick restarts do not
 * double up. Returns the rows written.
 */
export function sampleScores(prisma: DbClient, now: Date, intervalSeconds: number): Promise<number> {
  return insertScoreSamples(prisma, now, intervalSeconds);
}

/**
 * Retention: beyond HOURLY_DAYS only the last sample of each UTC day stays, and nothing
 * older than the history retention (`keepDays`). Compaction looks at one week before the cut-off, so each run touches
 * only rows that recently crossed it.
 */
export async function compactScores(prisma: DbClient, now: Date, keepDays: number): Promise<number> {
  const thinned = await thinScoreSamples(prisma, new Date(now.getTime() - HOURLY_DAYS * DAY_MS));
  const dropped = await dropScoreSamples(prisma, new Date(now.getTime() - keepDays * DAY_MS));
  return thinned + dropped;
}
