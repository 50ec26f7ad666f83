import { DriftItem, DriftQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { describeDrift } from '../../../drift/events';
import { listDrift } from '../../../drift/repository';
import { hostScope } from '../../../plugins/app/auth';

/**
 * The drift feed: what changed on which host, from what to what, newest first, written for a
 * person (summary, before/after text, file:line) with the structured values alongside.
 */
const driftRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      preHandler: app.requireRole(),
      schema: { querystring: DriftQuery, response: { 200: page(DriftItem) } },
      config: { csv: { omit: ['before', 'after'] } },
    },
    async (req) => {
      const { limit, offset, format: _format, ...filters } = req.query;
      const titleMatches = filters.q ? app.policy.rulesMatching(filters.q) : [];
      const { rows, total } = await listDrift(app.db.prisma, { ...filters, scope: hostScope(req), titleMatches }, { limit, offset });
      await app.policy.knowRules(rows.flatMap((d) => (d.ruleId ? [d.ruleId] : [])));
      return {
        total,
        items: rows.map((d) => {
          const ruleTitle = d.ruleId ? (app.policy.rule(d.ruleId)?.title ?? null) : null;
          return {
            id: d.id.toString(),
            hostId: d.hostId,
            hostname: d.hostname,
            group: d.group,
            kind: d.kind as DriftItem['kind'],
            severity: d.severity,
            ruleId: d.ruleId,
            ruleTitle,
            path: d.path,
            direction: (d.direction === 'fix' ? 'improvement' : d.direction) as DriftItem['direction'],
            before: d.before,
            after: d.after,
            ...describeDrift({ ...d, ruleTitle }),
            baseline: (d.baseline as DriftItem['baseline']) ?? null,
            observedAt: d.observedAt.toISOString(),
            receivedAt: d.receivedAt.toISOString(),
            firstFailedAt: d.firstFailedAt?.toISOString() ?? null,
          };
        }),
      };
    },
  );
};

export default driftRoutes;
