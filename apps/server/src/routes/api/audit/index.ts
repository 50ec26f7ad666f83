import { AuditEntry } from '@plumbline/protocol/access';
import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditPage, auditTargetNames } from '../../../audit/repository';

/**
 * The audit trail, newest first; read-only for every role. Filters: `action` (exact), `actor`
 * and `target` (any part, any case; a target also matches by the name of what its id points to,
 * so `target=web-01` finds the entries of that host). Each entry's target is named for a person.
 */
const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '',
    {
      preHandler: app.requireRole(),
      schema: {
        querystring: ListQuery.extend({
          action: z.string().max(64).optional(),
          actor: z.string().max(300).optional(),
          target: z.string().max(300).optional(),
        }),
        response: { 200: page(AuditEntry) },
      },
    },
    async (req) => {
      const q = req.query;
      const { rows, total } = await auditPage(app.db.prisma, q, q);
      const names = await auditTargetNames(
        app.db.prisma,
        rows.map((e) => e.target),
      );
      return {
        total,
        items: rows.map((e) => ({
          seq: e.seq.toString(),
          at: e.at.toISOString(),
          actor: e.actor,
          action: e.action,
          target: e.target,
          targetName: e.target ? (names.get(e.target) ?? null) : null,
          details: e.details,
          hash: e.hash,
        })),
      };
    },
  );
};

export default auditRoutes;
