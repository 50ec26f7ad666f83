import { SEVERITY_WEIGHTS } from '@plumbline/benchmarks/score';
import type { SeverityCounts } from '@plumbline/protocol/api';
import type { DbClient } from '../db/open';
import { failingRuleStats } from '../results/repository';
import { currentWeights, failingBySeverity } from './repository';

type Severity = Exclude<keyof SeverityCounts, 'waived'>;
const KEYS: (keyof SeverityCounts)[] = ['critical', 'high', 'medium', 'low', 'waived'];
const zero = (): SeverityCounts => ({ critical: 0, high: 0, medium: 0, low: 0, waived: 0 });

/** These hosts' failing results: those not waived per severity, and how many are waived. */
export async function failuresBySeverity(prisma: DbClient, hostIds: string[], scope: string | null): Promise<Map<string, SeverityCounts>> {
  const out = new Map(hostIds.map((id) => [id, zero()]));
  if (!hostIds.length) return out;
  for (const r of await failingBySeverity(prisma, hostIds, scope)) {
    const counts = out.get(r.host_id);
    if (counts && (KEYS as string[]).includes(r.severity)) counts[r.severity as keyof SeverityCounts] += Number(r.n);
  }
  return out;
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
  prisma: DbClient,
  rules: { knowRules(ids: string[]): Promise<void>; rule(id: string): { severity: Severity } | undefined },
  limit: number,
): Promise<RuleImpact[]> {
  const [stats, weights] = await Promise.all([failingRuleStats(prisma), currentWeights(prisma, undefined)]);
  const total = weights.pass + weights.fail;
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
