import { HostFailures, HostFailuresQuery, Triage } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { hostScope } from '../../../plugins/app/auth';
import { worstHosts } from '../../../scores/repository';
import { failuresBySeverity, ruleImpacts } from '../../../scores/triage';

const WORST = 10;
const FIX_FIRST = 10;

/** What to fix first (the overview's triage) and failures by severity for a page of hosts. */
const triageRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get('', { preHandler: anyRole, schema: { response: { 200: Triage } } }, async (req) => {
    const scope = hostScope(req);
    const [hosts, impacts] = await Promise.all([worstHosts(prisma, WORST, scope), ruleImpacts(prisma, app.policy, FIX_FIRST)]);
    const failures = await failuresBySeverity(
      prisma,
      hosts.map((h) => h.id),
      scope,
    );
    await app.policy.knowRules([...impacts.map((r) => r.ruleId), ...hosts.flatMap((h) => (h.last_rule_id ? [h.last_rule_id] : []))]);
    const title = (id: string) => app.policy.rule(id)?.title ?? id;
    return {
      worstHosts: hosts.map((h) => ({
        id: h.id,
        hostname: h.hostname,
        group: h.group_name,
        score: h.score,
        failures: failures.get(h.id) ?? { critical: 0, high: 0, medium: 0, low: 0, waived: 0 },
        recentChanges: Number(h.recent),
        lastChange:
          h.last_kind && h.last_observed_at
            ? {
                kind: h.last_kind,
                ruleId: h.last_rule_id,
                ruleTitle: h.last_rule_id ? title(h.last_rule_id) : null,
                path: h.last_path,
                direction: h.last_direction ?? 'change',
                observedAt: h.last_observed_at.toISOString(),
              }
            : null,
      })),
      fixFirst: impacts.map((r) => ({ ...r, title: title(r.ruleId) })),
    };
  });

  app.get(
    '/failures',
    { preHandler: anyRole, schema: { querystring: HostFailuresQuery, response: { 200: HostFailures } } },
    async (req) => {
      const ids = (Array.isArray(req.query.host) ? req.query.host : [req.query.host]).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
      const found = await failuresBySeverity(prisma, ids, hostScope(req));
      return { items: [...found].map(([hostId, failures]) => ({ hostId, failures })) };
    },
  );
};

export default triageRoutes;
