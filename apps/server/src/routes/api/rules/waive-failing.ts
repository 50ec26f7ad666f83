import { ApiError, WaiveFailing, WaiveFailingResult } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf, hostScope } from '../../../plugins/app/auth';
import { waiverExpiry, waiverItem } from '../../../waivers/item';
import { waiveFailingHosts } from '../../../waivers/repository';

/**
 * Waives a rule for the hosts failing it now, one host waiver each, under the rules of
 * POST /waivers: admins and operators only, the same expiry limit, and awaiting a second
 * person's approval when two-person approval is on.
 */
const waiveFailingRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/:id/waive-failing',
    {
      preHandler: app.requireRole('admin', 'operator'),
      schema: {
        description:
          "One host waiver for each host failing the rule now (within the caller's group scope) that is not waived already, " +
          'in one transaction, each audited as waiver.create. 201 with the waivers made; 200 with created 0 when no host ' +
          'fails the rule or every failing host is waived already (so repeating the call is harmless); 404 for an unknown rule.',
        params: z.object({ id: z.string().max(200) }),
        body: WaiveFailing,
        response: {
          200: WaiveFailingResult.describe('Nothing to waive: no host fails the rule, or every failing host is waived already'),
          201: WaiveFailingResult.describe('The waivers made, one per failing host'),
          404: ApiError.describe('No such rule (PLUMBLINE_ERR_NOT_FOUND)'),
        },
      },
    },
    async (req, reply) => {
      const ruleId = req.params.id;
      const now = new Date();
      await app.policy.knowRules([ruleId]);
      if (!app.policy.rule(ruleId)) throw new AppError(ErrorCode.notFound, `no rule ${ruleId}`);
      const expiresAt = waiverExpiry(req.body.expiresAt, now, app.config.waiverMaxDays);
      const { created, alreadyWaived } = await waiveFailingHosts(
        app.db.prisma,
        {
          ruleId,
          justification: req.body.justification,
          expiresAt,
          actor: actorOf(req.principal),
          approved: !app.config.twoPersonApproval,
          now,
        },
        hostScope(req),
      );
      if (created.length) await app.evaluator.rescore(created.map((w) => w.scopeId));
      return reply.code(created.length ? 201 : 200).send({
        ruleId,
        created: created.length,
        alreadyWaived,
        items: created.map((w) => waiverItem(w, now)),
      });
    },
  );
};

export default waiveFailingRoutes;
