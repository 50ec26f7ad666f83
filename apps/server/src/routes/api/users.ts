import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUsers, updateUser, UserChange } from '../../access';
import { actorOf } from '../../plugins/app/auth';

const UserItem = z.object({
  id: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'operator', 'auditor']),
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});

/** Dashboard users: listed, re-roled and disabled by admins (creating one is in admin.ts). */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminOnly = app.requireRole('admin');

  app.get('/api/v1/users', { preHandler: adminOnly, schema: { querystring: ListQuery, response: { 200: page(UserItem) } } }, async (req) => listUsers(app.db, req.query));

  app.patch(
    '/api/v1/users/:id',
    { preHandler: adminOnly, schema: { params: z.object({ id: z.uuid() }), body: UserChange.refine((c) => c.role !== undefined || c.disabled !== undefined, 'give role or disabled'), response: { 200: UserItem } } },
    async (req) => {
      const user = await updateUser(app.db, req.params.id, req.body, actorOf(req.principal));
      // Their sessions ended with the disable; so do their live feed sockets, on every replica.
      if (user.disabled) app.bus.publish({ type: 'credentials.revoked', kind: 'user', id: user.id, at: new Date().toISOString() });
      return user;
    },
  );
};
