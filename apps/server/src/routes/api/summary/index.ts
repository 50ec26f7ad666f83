import { shownCounts } from '@plumbline/benchmarks/score';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { offlineHosts } from '../../../hosts/repository';
import { failingRuleStats } from '../../../results/repository';
import { groupFigures, type GroupFiguresRow, ratio, scoreBuckets } from '../../../scores/repository';

const Figures = z.object({
  hosts: z.number(),
  online: z.number(),
  offline: z.number(),
  score: z.number().nullable(),
  scoreWithWaivers: z.number().nullable(),
  counts: z.object({ pass: z.number(), fail: z.number(), waived: z.number(), notapplicable: z.number(), error: z.number() }),
});

const Summary = z.object({
  fleet: Figures,
  groups: z.array(Figures.extend({ name: z.string().nullable() })),
  distribution: z.array(z.object({ from: z.number(), to: z.number(), hosts: z.number() })),
  topFailingRules: z.array(z.object({ ruleId: z.string(), title: z.string(), severity: z.string(), hosts: z.number() })),
  offlineHosts: z.array(z.object({ id: z.string(), hostname: z.string(), lastSeenAt: z.string().nullable() })),
  generatedAt: z.string(),
});

/**
 * The fleet at a glance. Every figure is read from what ingest keeps current (each host's
 * score, counts and severity weights; per-rule failure counts), so the cost does not grow
 * with the number of rules: a few aggregates over one row per host.
 * Scores: 100 * sum(pass weight) / sum(pass + fail weight), over every result of the hosts
 * concerned; with waivers, waived failures count as passes.
 */
const summaryRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  app.get('', { preHandler: app.requireRole(), schema: { response: { 200: Summary } } }, async () => {
    const [groups, buckets, rules, offline] = await Promise.all([
      groupFigures(prisma),
      scoreBuckets(prisma),
      failingRuleStats(prisma, 10),
      offlineHosts(prisma, 20),
    ]);
    const figures = (rows: GroupFiguresRow[]) => {
      const n = (k: keyof GroupFiguresRow) => rows.reduce((acc, r) => acc + Number(r[k] ?? 0), 0);
      const [pw, fw, ww] = [n('pass_w'), n('fail_w'), n('waived_w')];
      return {
        hosts: n('hosts'),
        online: n('online'),
        offline: n('hosts') - n('online'),
        score: ratio(pw, pw + fw),
        scoreWithWaivers: ratio(pw + ww, pw + fw),
        counts: shownCounts({ pass: n('pass'), fail: n('fail'), waived: n('waived'), notapplicable: n('na'), error: n('error') }),
      };
    };
    const perBucket = new Map(buckets.map((b) => [b.bucket, Number(b.hosts)]));
    return {
      fleet: figures(groups),
      groups: groups.map((g) => ({ name: g.group_name, ...figures([g]) })),
      distribution: Array.from({ length: 10 }, (_, i) => ({ from: i * 10, to: i === 9 ? 100 : i * 10 + 10, hosts: perBucket.get(i) ?? 0 })),
      topFailingRules: rules.map((r) => {
        const rule = app.policy.rule(r.ruleId);
        return { ruleId: r.ruleId, title: rule?.title ?? r.ruleId, severity: rule?.severity ?? 'medium', hosts: r.failCount };
      }),
      offlineHosts: offline.map((h) => ({ id: h.id, hostname: h.hostname, lastSeenAt: h.last_seen_at?.toISOString() ?? null })),
      generatedAt: new Date().toISOString(),
    };
  });
};

export default summaryRoutes;
