import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyAudit } from '../../../audit/repository';

const Mark = z.object({
  seq: z.string().regex(/^\d{1,19}$/),
  hash: z.string().max(128),
  entries: z.number().int().min(0),
  at: z.string().max(64),
});

/**
 * POST /api/v1/audit/verify: the whole chain checked against the given signed checkpoints
 * (their signatures checked by the caller, who holds the checkpoint file): what `plumbline
 * audit verify` does while the server holds the embedded database. Read-only, every role.
 */
const auditVerifyRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/verify',
    {
      preHandler: app.requireRole(),
      schema: {
        body: z.object({ checkpoints: z.array(Mark).max(100_000).default([]) }),
        response: {
          200: z.union([
            z.object({ ok: z.literal(true), entries: z.number(), head: z.string().nullable(), checkpoints: z.number() }),
            z.object({ ok: z.literal(false), entries: z.number(), seq: z.string(), reason: z.string() }),
          ]),
        },
      },
    },
    async (req) =>
      verifyAudit(
        app.db.prisma,
        req.body.checkpoints.map((m) => ({ ...m, seq: BigInt(m.seq) })),
      ),
  );
};

export default auditVerifyRoutes;
