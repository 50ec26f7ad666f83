import { AuditEntry } from '@plumbline/protocol/access';
import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditPage } from '../../../audit/repository';

/** The audit trail, newest first; read-only for every role. */
const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      preHandler: app.requireRole(),
      schema: {
        querystring: ListQuery.extend({ action: z.string().max(64).optional(), actor: z.string().max(300).optional() }),
        response: { 200: page(AuditEntry) },
      },
    },
    async (req) => {
      const q = req.query;
      const { rows, total } = await auditPage(app.db.prisma, q, q);
      return {
        total,
        items: rows.map((e) => ({
          seq: e.seq.toString(),
          at: e.at.toISOString(),
          actor: e.actor,
          action: e.action,
          target: e.target,
          details: e.details,
          hash: e.hash,
        })),
      };
    },
  );
};

export default auditRoutes;
