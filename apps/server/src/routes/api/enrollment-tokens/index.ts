import { EnrollmentTokenItem } from '@plumbline/protocol/access';
import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeCredential } from '../../../access/users';
import { createEnrollmentToken } from '../../../access/credentials';
import { enrollmentTokenPage } from '../../../enrollment/repository';
import { actorOf } from '../../../plugins/app/auth';

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Enrollment tokens: created (what `plumbline token create` does, for when the server is
 * running), listed by prefix (never in full: only hashes are stored) and revoked, by admins
 * and operators. The token is shown once, in the response.
 */
const enrollmentTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const writers = app.requireRole('admin', 'operator');

  app.post(
    '',
    {
      preHandler: writers,
      schema: {
        body: z.object({
          name: z.string(),
          expires: z.string().optional(),
          group: z.string().optional(),
          maxUses: z.number().int().optional(),
        }),
        response: { 201: z.object({ token: z.string() }) },
      },
    },
    async (req, reply) => {
      const { maxUses, ...rest } = req.body;
      const token = await createEnrollmentToken(
        app.db,
        { ...rest, maxUses: maxUses === undefined ? undefined : String(maxUses) },
        new Date(),
        actorOf(req.principal),
      );
      return reply.code(201).send({ token });
    },
  );

  app.get('', { preHandler: writers, schema: { querystring: ListQuery, response: { 200: page(EnrollmentTokenItem) } } }, async (req) => {
    const { rows, total } = await enrollmentTokenPage(prisma, req.query);
    return {
      total,
      items: rows.map((t) => ({
        id: t.id,
        name: t.name,
        prefix: t.prefix,
        group: t.groupName,
        uses: t.uses,
        maxUses: t.maxUses,
        expiresAt: iso(t.expiresAt),
        revokedAt: iso(t.revokedAt),
        createdAt: t.createdAt.toISOString(),
      })),
    };
  });

  app.delete('/:id', { preHandler: writers, schema: { params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    await revokeCredential(app.db, 'enrollment-tokens', req.params.id, actorOf(req.principal));
    return reply.code(204).send();
  });
};

export default enrollmentTokenRoutes;
