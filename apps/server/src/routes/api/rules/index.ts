import { ListQuery, page, RuleItem, SeverityName } from '@plumbline/protocol/api';
import { profileRules } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { ruleStats } from '../../../policy/repository';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** The rule catalogue with fleet counts. */
const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const content = app.policy.content;
  const members = new Map([...content.profiles.values()].map((p) => [p.id, new Set(profileRules(content, p).map((r) => r.id))]));
  const profilesOf = (id: string) => [...members].filter(([, ids]) => ids.has(id)).map(([p]) => p);

  async function toItem(
    rule: Rule,
    stats?: { failCount: number; passCount: number },
    custom = app.policy.customRule(rule.id),
  ): Promise<RuleItem> {
    return {
      id: rule.id,
      title: rule.title,
      description: rule.description,
      rationale: rule.rationale,
      severity: rule.severity,
      levels: rule.levels,
      section: rule.section,
      references: rule.references as Record<string, string[]>,
      remediation: rule.remediation ?? {},
      profiles: profilesOf(rule.id),
      failingHosts: stats?.failCount ?? 0,
      passingHosts: stats?.passCount ?? 0,
      custom: custom ? { file: custom.file, version: custom.version } : null,
    };
  }

  app.get(
    '',
    {
      preHandler: app.requireRole(),
      schema: {
        querystring: ListQuery.extend({
          q: z.string().max(200).optional(),
          severity: SeverityName.optional(),
          section: z.string().max(32).optional(),
          profile: z.string().max(64).optional(),
          sort: z.enum(['id', 'failingHosts', 'severity']).default('failingHosts'),
        }),
        response: { 200: page(RuleItem) },
      },
    },
    async (req) => {
      const q = req.query;
      const stats = new Map((await ruleStats(prisma)).map((s) => [s.ruleId, s]));
      const profile = q.profile ? content.profiles.get(q.profile) : undefined;
      if (q.profile && !profile) throw new AppError(ErrorCode.badRequest, `profile: unknown profile ${q.profile}`);
      // Uploaded rules are listed too, whichever groups enable them (marked with their file and version).
      const custom = await app.policy.activeCustomRules();
      const rules = [...content.rules, ...custom.map((c) => c.rule)]
        .filter((r) => (!q.severity || r.severity === q.severity) && (!profile || members.get(profile.id)!.has(r.id)))
        .filter((r) => !q.section || r.section.id === q.section || r.section.id.startsWith(`${q.section}.`))
        .filter(
          (r) => !q.q || `${r.id} ${r.title} ${Object.values(r.references).flat().join(' ')}`.toLowerCase().includes(q.q.toLowerCase()),
        )
        .sort((a, b) =>
          q.sort === 'id'
            ? a.id.localeCompare(b.id)
            : q.sort === 'severity'
              ? SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id)
              : (stats.get(b.id)?.failCount ?? 0) - (stats.get(a.id)?.failCount ?? 0) || a.id.localeCompare(b.id),
        );
      return {
        total: rules.length,
        items: await Promise.all(rules.slice(q.offset, q.offset + q.limit).map((r) => toItem(r, stats.get(r.id)))),
      };
    },
  );

  app.get(
    '/:id',
    { preHandler: app.requireRole(), schema: { params: z.object({ id: z.string().max(200) }), response: { 200: RuleItem } } },
    async (req) => {
      await app.policy.knowRules([req.params.id]);
      const rule = app.policy.rule(req.params.id);
      if (!rule) throw new AppError(ErrorCode.notFound, `no rule ${req.params.id}`);
      const [stats] = await ruleStats(prisma, rule.id);
      return toItem(rule, stats);
    },
  );
};

export default ruleRoutes;
