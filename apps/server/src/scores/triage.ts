import { SEVERITY_WEIGHTS } from '@plumbline/benchmarks/score';
import type { SeverityCounts } from '@plumbline/protocol/api';
import type { PrismaClient } from '../generated/prisma/client';

type Severity = Exclude<keyof SeverityCounts, 'waived'>;
const KEYS: (keyof SeverityCounts)[] = ['critical', 'high', 'medium', 'low', 'waived'];
const zero = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, waived: 0 });

/** A failing result is waived while an approved, unrevoked, unexpired waiver covers its host, group or tag. */
const WAIVED = `EXISTS (SELECT 1 FROM waivers w
  WHERE w.rule_id = r.rule_id AND w.revoked_at IS NULL AND w.approved_at IS NOT NULL AND w.expires_at > now()
    AND ((w.scope_type = 'host' AND w.scope_id = h.id::text) OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
      OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags))))`;

/**
 * These hosts' failing results: those not waived per severity, and how many are waived. One
 * indexed query (rule_results by host id).
 */
export async function failuresBySeverity(
  prisma: PrismaClient,
  hostIds: string[],
  scope: string | null,
): Promise<Map<string, SeverityCounts>> {
  const out = new Map(hostIds.map((id) => [id, zero()]));
  if (!hostIds.length) return out;
  const rows = await prisma.$queryRawUnsafe<{ host_id: string; severity: string; n: bigint }[]>(
    `SELECT host_id, CASE WHEN waived THEN 'waived' ELSE severity END AS severity, count(*) AS n
     FROM (SELECT r.host_id::text AS host_id, r.severity, ${WAIVED} AS waived
           FROM rule_results r JOIN hosts h ON h.id = r.host_id
           WHERE r.host_id = ANY($1::uuid[]) AND r.status = 'fail' AND ($2::text IS NULL OR h.group_name = $2)) f
     GROUP BY 1, 2`,
    hostIds,
    scope,
  );
  for (const r of rows) {
    const counts = out.get(r.host_id);
    if (counts && (KEYS as string[]).includes(r.severity)) counts[r.severity as keyof SeverityCounts] += Number(r.n);
  }
  return out;
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

export interface RuleImpact {
  ruleId: string;
  severity: Severity;
  hosts: number;
  impact: number;
  scoreGain: number;
}

/**
 * Rules ranked by what fixing them is worth to the fleet score: severity weight x failing
 * hosts. Fixing a rule moves its weight from fail to pass on each host, so the fleet score
 * (100 x pass weight / (pass + fail weight)) rises by 100 x impact / (pass + fail weight).
 */
export async function ruleImpacts(
  prisma: PrismaClient,
  rules: { knowRules(ids: string[]): Promise<void>; rule(id: string): { severity: Severity } | undefined },
  limit: number,
): Promise<RuleImpact[]> {
  const [stats, totals] = await Promise.all([
    prisma.ruleStat.findMany({ where: { failCount: { gt: 0 } }, select: { ruleId: true, failCount: true } }),
    prisma.$queryRawUnsafe<{ weight: bigint | null }[]>(`SELECT sum(pass_weight + fail_weight) AS weight FROM hosts`),
  ]);
  const total = Number(totals[0]?.weight ?? 0);
  await rules.knowRules(stats.map((s) => s.ruleId));
  return stats
    .map((s) => {
      const severity = rules.rule(s.ruleId)?.severity ?? 'medium';
      const impact = SEVERITY_WEIGHTS[severity] * s.failCount;
      return {
        ruleId: s.ruleId,
        severity,
        hosts: s.failCount,
        impact,
        scoreGain: total > 0 ? Math.round((1000 * impact) / total) / 10 : 0,
      };
    })
    .sort((a, b) => b.impact - a.impact || a.ruleId.localeCompare(b.ruleId))
    .slice(0, limit);
}
