import type { PrismaClient } from '../generated/prisma/client';

/** Hourly samples are kept this long; older ones are thinned to the last of each UTC day. */
export const HOURLY_DAYS = 14;
const DAY_MS = 86_400_000;

/** Same formula as the summary: 100 * pass weight / (pass + fail weight), one decimal. */
const ratioSql = (num: string, den: string) => `CASE WHEN ${den} > 0 THEN (round(1000.0 * (${num}) / (${den})) / 10)::float8 END`;

/**
 * Writes one sample of every host's score and of each group's and the fleet's, in one
 * statement, from what ingest already keeps on the host rows. A sample is skipped when the
 * fleet already has a sample within half an interval of `now`, so replicas and quick restarts do not
 * double up. Returns the rows written.
 */
export async function sampleScores(prisma: PrismaClient, now: Date, intervalSeconds: number): Promise<number> {
  return prisma.$executeRawUnsafe(
    `WITH h AS (SELECT id, group_name, score, score_waived, evaluated_at, pass_weight, fail_weight, waived_weight FROM hosts),
     agg AS (
       SELECT 'group' AS scope, coalesce(group_name, '') AS scope_id, sum(pass_weight) AS pw, sum(fail_weight) AS fw, sum(waived_weight) AS ww, count(*)::int AS n FROM h GROUP BY group_name
       UNION ALL
       SELECT 'fleet', '', coalesce(sum(pass_weight), 0), coalesce(sum(fail_weight), 0), coalesce(sum(waived_weight), 0), count(*)::int FROM h
     ),
     rows AS (
       SELECT 'host' AS scope, id::text AS scope_id, score, score_waived, 1 AS n FROM h WHERE evaluated_at IS NOT NULL
       UNION ALL
       SELECT scope, scope_id, ${ratioSql('pw', 'pw + fw')}, ${ratioSql('pw + ww', 'pw + fw')}, n FROM agg
     )
     INSERT INTO score_samples (at, scope, scope_id, score, score_waived, hosts)
     SELECT $1::timestamptz, scope, scope_id, score, score_waived, n FROM rows
     WHERE NOT EXISTS (SELECT 1 FROM score_samples WHERE scope = 'fleet'
                       AND at > $1::timestamptz - make_interval(secs => $2::int / 2.0) AND at < $1::timestamptz + make_interval(secs => $2::int / 2.0))`,
    now,
    intervalSeconds,
  );
}

/**
 * Retention: beyond HOURLY_DAYS only the last sample of each UTC day stays, and nothing
 * older than the history retention (`keepDays`). Compaction looks at one week before the cut-off, so each run touches
 * only rows that recently crossed it.
 */
export async function compactScores(prisma: PrismaClient, now: Date, keepDays: number): Promise<number> {
  const cut = new Date(now.getTime() - HOURLY_DAYS * DAY_MS);
  const thinned = await prisma.$executeRawUnsafe(
    `DELETE FROM score_samples s
     WHERE s.at < $1::timestamptz AND s.at >= $1::timestamptz - interval '7 days'
       AND EXISTS (SELECT 1 FROM score_samples l
                   WHERE l.scope = s.scope AND l.scope_id = s.scope_id AND l.at > s.at
                     AND date_trunc('day', l.at, 'UTC') = date_trunc('day', s.at, 'UTC'))`,
    cut,
  );
  const dropped = await prisma.$executeRawUnsafe(
    `DELETE FROM score_samples WHERE at < $1::timestamptz`,
    new Date(now.getTime() - keepDays * DAY_MS),
  );
  return thinned + dropped;
}
