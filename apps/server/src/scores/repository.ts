import type { TrendPoint } from '@plumbline/protocol/api';
import type { PrismaClient } from '../generated/prisma/client';
import { ONLINE_SQL } from '../hosts/repository';

const DEFAULT_DAYS = 30;
export const ratio = (num: number, den: number) => (den > 0 ? Math.round((1000 * num) / den) / 10 : null);

/** The stored samples of one series, the last one of each hour or day, oldest first. */
export async function samples(
  prisma: PrismaClient,
  scope: string,
  scopeId: string,
  since: Date,
  bucket: 'hour' | 'day',
): Promise<TrendPoint[]> {
  const rows = await prisma.$queryRawUnsafe<{ at: Date; score: number | null; score_waived: number | null; hosts: number }[]>(
    `SELECT at, score, score_waived, hosts FROM (
       SELECT DISTINCT ON (date_trunc($4, at, 'UTC')) at, score, score_waived, hosts FROM score_samples
       WHERE scope = $1 AND scope_id = $2 AND at >= $3::timestamptz
       ORDER BY date_trunc($4, at, 'UTC'), at DESC
     ) s ORDER BY at`,
    scope,
    scopeId,
    since,
    bucket,
  );
  return rows.map((r) => ({ at: r.at.toISOString(), score: r.score, scoreWithWaivers: r.score_waived, hosts: Number(r.hosts) }));
}

/** The start of a trend: the one asked for, or DEFAULT_DAYS back. */
export const sinceOf = (since: string | undefined, now: Date) =>
  since ? new Date(since) : new Date(now.getTime() - DEFAULT_DAYS * 86_400_000);

/** The current score of a host (null when there is no such host). */
export function hostScore(prisma: PrismaClient, hostId: string) {
  return prisma.host.findUnique({ where: { id: hostId }, select: { score: true, scoreWaived: true } });
}

/** The fleet's (or a group's) summed rule weights and host count: the current score's inputs. */
export async function currentWeights(prisma: PrismaClient, group: string | undefined) {
  const agg = await prisma.host.aggregate({
    where: group ? { groupName: group } : {},
    _sum: { passWeight: true, failWeight: true, waivedWeight: true },
    _count: { _all: true },
  });
  return { pass: agg._sum.passWeight ?? 0, fail: agg._sum.failWeight ?? 0, waived: agg._sum.waivedWeight ?? 0, hosts: agg._count._all };
}

/** A group's (null: no group) hosts, how many are online, their summed weights and result counts. */
export interface GroupFiguresRow {
  group_name: string | null;
  hosts: bigint;
  online: bigint;
  pass_w: bigint;
  fail_w: bigint;
  waived_w: bigint;
  pass: bigint;
  fail: bigint;
  waived: bigint;
  na: bigint;
  error: bigint;
}

/** Every group's figures (the hosts in no group as one), from what ingest keeps on the host rows. */
export function groupFigures(prisma: PrismaClient): Promise<GroupFiguresRow[]> {
  return prisma.$queryRawUnsafe<GroupFiguresRow[]>(
    `SELECT group_name, count(*) AS hosts, count(*) FILTER (WHERE ${ONLINE_SQL}) AS online,
       sum(pass_weight) AS pass_w, sum(fail_weight) AS fail_w, sum(waived_weight) AS waived_w,
       sum(pass_count) AS pass, sum(fail_count) AS fail, sum(waived_count) AS waived, sum(na_count) AS na, sum(error_count) AS error
     FROM hosts GROUP BY group_name ORDER BY group_name NULLS LAST`,
  );
}

/** How many scored hosts fall in each tenth of the score range (bucket 9 takes 100 too). */
export function scoreBuckets(prisma: PrismaClient) {
  return prisma.$queryRawUnsafe<{ bucket: number; hosts: bigint }[]>(
    `SELECT least(floor(score / 10), 9)::int AS bucket, count(*) AS hosts FROM hosts WHERE score IS NOT NULL GROUP BY 1 ORDER BY 1`,
  );
}

/** Same formula as the summary: 100 * pass weight / (pass + fail weight), one decimal. */
const ratioSql = (num: string, den: string) => `CASE WHEN ${den} > 0 THEN (round(1000.0 * (${num}) / (${den})) / 10)::float8 END`;

/**
 * Writes one sample of every host's score and of each group's and the fleet's, in one
 * statement, from what ingest already keeps on the host rows, unless the fleet already has a
 * sample within half an interval of `now`. Returns the rows written.
 */
export function insertScoreSamples(prisma: PrismaClient, now: Date, intervalSeconds: number): Promise<number> {
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
 * Thins the samples of the week before `cut` to the last of each UTC day (looking one week
 * back, each run touches only rows that recently crossed the cut-off). Returns the rows removed.
 */
export function thinScoreSamples(prisma: PrismaClient, cut: Date): Promise<number> {
  return prisma.$executeRawUnsafe(
    `DELETE FROM score_samples s
     WHERE s.at < $1::timestamptz AND s.at >= $1::timestamptz - interval '7 days'
       AND EXISTS (SELECT 1 FROM score_samples l
                   WHERE l.scope = s.scope AND l.scope_id = s.scope_id AND l.at > s.at
                     AND date_trunc('day', l.at, 'UTC') = date_trunc('day', s.at, 'UTC'))`,
    cut,
  );
}

/** Removes every sample older than `before`. Returns the rows removed. */
export function dropScoreSamples(prisma: PrismaClient, before: Date): Promise<number> {
  return prisma.$executeRawUnsafe(`DELETE FROM score_samples WHERE at < $1::timestamptz`, before);
}

/** A failing result is waived while an approved, unrevoked, unexpired waiver covers its host, group or tag. */
const WAIVED = `EXISTS (SELECT 1 FROM waivers w
  WHERE w.rule_id = r.rule_id AND w.revoked_at IS NULL AND w.approved_at IS NOT NULL AND w.expires_at > now()
    AND ((w.scope_type = 'host' AND w.scope_id = h.id::text) OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
      OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags))))`;

/**
 * These hosts' failing results per severity, the waived ones as severity `waived`. One indexed
 * query (rule_results by host id).
 */
export function failingBySeverity(prisma: PrismaClient, hostIds: string[], scope: string | null) {
  return prisma.$queryRawUnsafe<{ host_id: string; severity: string; n: bigint }[]>(
    `SELECT host_id, CASE WHEN waived THEN 'waived' ELSE severity END AS severity, count(*) AS n
     FROM (SELECT r.host_id::text AS host_id, r.severity, ${WAIVED} AS waived
           FROM rule_results r JOIN hosts h ON h.id = r.host_id
           WHERE r.host_id = ANY($1::uuid[]) AND r.status = 'fail' AND ($2::text IS NULL OR h.group_name = $2)) f
     GROUP BY 1, 2`,
    hostIds,
    scope,
  );
}

export interface WorstHostRow {
  id: string;
  hostname: string;
  group_name: string | null;
  score: number | null;
  recent: bigint;
  last_kind: string | null;
  last_rule_id: string | null;
  last_path: string | null;
  last_direction: string | null;
  last_observed_at: Date | null;
}

/** The lowest-scoring hosts (scored ones only), each with its drift of the last 24 hours. */
export function worstHosts(prisma: PrismaClient, limit: number, scope: string | null): Promise<WorstHostRow[]> {
  return prisma.$queryRawUnsafe<WorstHostRow[]>(
    `SELECT h.id::text AS id, h.hostname, h.group_name, h.score,
       (SELECT count(*) FROM drift_events d WHERE d.host_id = h.id AND d.observed_at > now() - interval '24 hours') AS recent,
       l.kind AS last_kind, l.rule_id AS last_rule_id, l.path AS last_path, l.direction AS last_direction, l.observed_at AS last_observed_at
     FROM (SELECT * FROM hosts WHERE score IS NOT NULL AND ($2::text IS NULL OR group_name = $2)
           ORDER BY score ASC, fail_weight DESC, hostname ASC LIMIT $1) h
     LEFT JOIN LATERAL (SELECT kind, rule_id, path, direction, observed_at FROM drift_events d
                        WHERE d.host_id = h.id ORDER BY observed_at DESC, id DESC LIMIT 1) l ON true
     ORDER BY h.score ASC, h.fail_weight DESC, h.hostname ASC`,
    limit,
    scope,
  );
}
