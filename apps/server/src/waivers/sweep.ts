import type { DbClient } from '../db/open';
import { hostsCountingExpiredWaivers } from './repository';

/** Hosts rescored per sweep: the rest follow at the next one. */
const BATCH = 500;

/** What rescores hosts from their stored verdicts (the ingest's evaluator). */
export interface Rescorer {
  rescore(hostIds: string[], now: Date): Promise<unknown>;
}

/**
 * Finds hosts whose stored score still counts a waiver that has since expired (the score
 * was computed before the expiry) and rescores them from their stored verdicts. Stateless,
 * so every replica may run it; a host once rescored no longer matches. Returns the host ids.
 */
export async function sweepExpiredWaivers(prisma: DbClient, evaluator: Rescorer, now: Date): Promise<string[]> {
  const ids = await hostsCountingExpiredWaivers(prisma, now, BATCH);
  if (ids.length) await evaluator.rescore(ids, now);
  return ids;
}
