import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { duplicateHostnames } from '../../../hosts/repository';
import { hostSummary } from '../../../hosts/summary';
import { ruleHostsPage } from '../../../results/repository';
import { hostScope } from '../../../plugins/app/auth';

/** Who fails (or passes) a rule. */
const ruleHostRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get(
    '/:id/hosts',
    {
      preHandler: anyRole,
      schema: {
        params: z.object({ id: z.string().max(200) }),
        querystring: ListQuery.extend({ status: z.enum(['pass', 'fail', 'notapplicable', 'error']).default('fail') }),
        response: {
          200: page(z.object({ host: z.any(), status: z.string(), firstFailedAt: z.string().nullable(), changedAt: z.string() })),
        },
      },
    },
    async (req) => {
      await app.policy.knowRules([req.params.id]);
      if (!app.policy.rule(req.params.id)) throw new AppError(ErrorCode.notFound, `no rule ${req.params.id}`);
      const scope = hostScope(req);
      const { rows, total } = await ruleHostsPage(prisma, req.params.id, req.query.status, scope, req.query);
      const duplicates = await duplicateHostnames(
        prisma,
        rows.map((r) => r.host.hostname),
        scope,
      );
      return {
        total,
        items: rows.map((r) => ({
          host: hostSummary(r.host, duplicates),
          status: r.status,
          firstFailedAt: r.firstFailedAt?.toISOString() ?? null,
          changedAt: r.changedAt.toISOString(),
        })),
      };
    },
  );
};

export default ruleHostRoutes;
