import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { addUser, createApiKey, createEnrollmentToken } from '../../../admin';
import { NewPassword } from '@plumbline/protocol/api';
import { actorOf } from '../../../plugins/app/auth';

/**
 * What `plumbline user add`, `apikey create` and `token create` do, over the API, for
 * when the server is running (an embedded database can be opened by one process only).
 * Admins only; secrets are shown once in the response and never stored in clear.
 */
export const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminOnly = app.requireRole('admin');

  app.post(
    '/api/v1/users',
    {
      preHandler: adminOnly,
      schema: {
        body: z.object({ email: z.string(), role: z.string(), password: NewPassword }),
        response: { 201: z.object({ id: z.string() }) },
      },
    },
    async (req, reply) => {
      const id = await addUser(app.db, req.body.email, req.body.role, req.body.password, actorOf(req.principal));
      req.log.info({ userId: id, by: req.principal?.id }, 'user created');
      return reply.code(201).send({ id });
    },
  );

  app.post(
    '/api/v1/api-keys',
    {
      preHandler: adminOnly,
      schema: {
        body: z.object({
          name: z.string(),
          role: z.string(),
          expiresAt: z.iso.datetime({ offset: true }).optional(),
          expires: z.string().max(32).optional(),
          group: z.string().max(100).optional(),
        }),
        response: { 201: z.object({ key: z.string() }) },
      },
    },
    async (req, reply) => {
      const { name, role, expiresAt, expires, group } = req.body;
      const key = await createApiKey(app.db, name, role, actorOf(req.principal), {
        expires,
        expiresAt: expiresAt ? new Date(expiresAt) : undefined,
        group,
      });
      return reply.code(201).send({ key });
    },
  );

  app.post(
    '/api/v1/enrollment-tokens',
    {
      preHandler: app.requireRole('admin', 'operator'),
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
};
