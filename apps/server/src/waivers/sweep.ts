import type { PrismaClient } from '../generated/prisma/client';

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
export async function sweepExpiredWaivers(prisma: PrismaClient, evaluator: Rescorer, now: Date): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `SELECT DISTINCT h.id::text AS id FROM hosts h
     JOIN waivers w ON w.revoked_at IS NULL AND w.approved_at IS NOT NULL
       AND w.expires_at <= $1::timestamptz AND w.expires_at > h.evaluated_at
       AND ((w.scope_type = 'host' AND w.scope_id = h.id::text)
         OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
         OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags)))
     WHERE h.waived_count > 0
     LIMIT ${BATCH}`,
    now,
  );
  const ids = rows.map((r) => r.id);
  if (ids.length) await evaluator.rescore(ids, now);
  return ids;
}
