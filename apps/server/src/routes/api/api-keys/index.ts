import { ApiKeyItem } from '@plumbline/protocol/access';
import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listApiKeys, revokeCredential } from '../../../access/users';
import { createApiKey } from '../../../access/credentials';
import { actorOf } from '../../../plugins/app/auth';

/**
 * API keys: created (what `plumbline apikey create` does, for when the server is running),
 * listed by prefix (only hashes are stored) and revoked, by admins. The key is shown once,
 * in the response. Revoking one closes the live feed sockets opened with it.
 */
const apiKeyRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminOnly = app.requireRole('admin');

  app.post(
    '',
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

  app.get(
    '',
    {
      preHandler: adminOnly,
      schema: {
        querystring: ListQuery,
        response: { 200: page(ApiKeyItem) },
      },
    },
    async (req) => listApiKeys(app.db, req.query),
  );

  app.delete('/:id', { preHandler: adminOnly, schema: { params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const { id } = req.params;
    await revokeCredential(app.db, 'api-keys', id, actorOf(req.principal));
    // Live feed sockets opened with the key close on every replica.
    app.bus.publish({ type: 'credentials.revoked', kind: 'apikey', id, at: new Date().toISOString() });
    return reply.code(204).send();
  });
};

export default apiKeyRoutes;
