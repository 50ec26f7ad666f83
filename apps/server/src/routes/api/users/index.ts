import { UserItem } from '@plumbline/protocol/access';
import { ListQuery, page, PasswordReset } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUsers, updateUser, UserChange } from '../../../access';
import { AppError, ErrorCode } from '../../../errors';
import { resetPassword } from '../../../passwords';
import { actorOf } from '../../../plugins/app/auth';

/** Dashboard users: listed, re-roled, disabled and their passwords reset by admins (creating one is in admin.ts). */
export const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminOnly = app.requireRole('admin');

  app.get('/api/v1/users', { preHandler: adminOnly, schema: { querystring: ListQuery, response: { 200: page(UserItem) } } }, async (req) =>
    listUsers(app.db, req.query),
  );

  app.patch(
    '/api/v1/users/:id',
    {
      preHandler: adminOnly,
      schema: {
        params: z.object({ id: z.uuid() }),
        body: UserChange.refine((c) => c.role !== undefined || c.disabled !== undefined, 'give role or disabled'),
        response: { 200: UserItem },
      },
    },
    async (req) => {
      const user = await updateUser(app.db, req.params.id, req.body, actorOf(req.principal));
      // Their sessions ended with the disable; so do their live feed sockets, on every replica.
      if (user.disabled) app.bus.publish({ type: 'credentials.revoked', kind: 'user', id: user.id, at: new Date().toISOString() });
      return user;
    },
  );

  app.post(
    '/api/v1/users/:id/password-reset',
    { preHandler: adminOnly, schema: { params: z.object({ id: z.uuid() }), response: { 200: PasswordReset } } },
    async (req) => {
      const p = req.principal;
      // Resetting one's own password would sign oneself out into a forced change: change it instead.
      if (p?.kind === 'user' && p.id === req.params.id)
        throw new AppError(ErrorCode.badRequest, 'to change your own password, use POST /api/v1/session/password');
      const done = await resetPassword(app.db, req.params.id, actorOf(p));
      // Every session of theirs ended with the reset; so do their live feed sockets, on every replica.
      app.bus.publish({ type: 'credentials.revoked', kind: 'user', id: done.userId, at: new Date().toISOString() });
      req.log.info({ userId: done.userId, by: p?.id }, 'password reset');
      return { email: done.email, temporaryPassword: done.temporaryPassword, sessionsEnded: done.endedSessions.length };
    },
  );
};
