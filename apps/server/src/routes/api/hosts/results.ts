import { page, ResultItem, ResultsQuery } from '@plumbline/protocol/api';
import { applyWaivers } from '@plumbline/benchmarks/score';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireHost } from '../../../hosts/lookup';
import { hostScope } from '../../../plugins/app/auth';
import { hostResultRows } from '../../../results/repository';
import { storedResults } from '../../../results/present';
import { activeWaivers, waiverTarget } from '../../../waivers/active';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;
const STATUS_RANK = { fail: 0, error: 1, pass: 2, notapplicable: 3 } as const;

/** A host's verdicts with evidence and waiver state; who fails a rule. */
const resultRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get(
    '/:id/results',
    {
      preHandler: anyRole,
      schema: { params: z.object({ id: z.string().max(64) }), querystring: ResultsQuery, response: { 200: page(ResultItem) } },
    },
    async (req) => {
      const host = await requireHost(prisma, req.params.id, hostScope(req));
      const q = req.query;
      const rows = await hostResultRows(prisma, host.id);
      await app.policy.knowRules(rows.map((r) => r.ruleId));
      const now = new Date();
      const waivers = await activeWaivers(prisma, host, now);
      const meta = new Map(rows.map((r) => [r.ruleId, r]));
      const results = storedResults(rows, (id) => app.policy.rule(id));
      const items = applyWaivers(results, waivers, waiverTarget(host), now)
        .filter((r) => (!q.status || r.status === q.status) && (!q.severity || r.severity === q.severity))
        .filter(
          (r) =>
            (!q.section || r.section.id === q.section || r.section.id.startsWith(`${q.section}.`)) &&
            (!q.waived || String(Boolean(r.waived)) === q.waived),
        )
        .filter((r) => !q.q || `${r.ruleId} ${r.title}`.toLowerCase().includes(q.q.toLowerCase()))
        .sort(
          (a, b) =>
            STATUS_RANK[a.status] - STATUS_RANK[b.status] ||
            SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
            a.ruleId.localeCompare(b.ruleId),
        );
      return {
        total: items.length,
        items: items.slice(q.offset, q.offset + q.limit).map((r) => {
          const rule = app.policy.rule(r.ruleId)!;
          const row = meta.get(r.ruleId)!;
          const w = r.waiver as (typeof r.waiver & { id?: string }) | undefined;
          return {
            ...r,
            levels: r.levels,
            references: r.references as Record<string, string[]>,
            rationale: rule.rationale,
            remediation: rule.remediation ?? {},
            waived: Boolean(r.waived),
            waiver: w
              ? { id: w.id ?? '', justification: w.justification, expiresAt: w.expiresAt.toISOString(), approver: w.approver }
              : null,
            firstFailedAt: row.firstFailedAt?.toISOString() ?? null,
            changedAt: row.changedAt.toISOString(),
          };
        }),
      };
    },
  );
};

export default resultRoutes;
