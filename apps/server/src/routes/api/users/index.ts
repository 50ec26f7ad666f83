import { UserItem } from '@plumbline/protocol/access';
import { ListQuery, NewPassword, page, PasswordReset } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { listUsers, updateUser, UserChange } from '../../../access/users';
import { addUser } from '../../../access/credentials';
import { AppError, ErrorCode } from '../../../errors';
import { resetPassword } from '../../../access/passwords';
import { actorOf } from '../../../plugins/app/auth';

/**
 * Dashboard users: created (what `plumbline user add` does, for when the server is running),
 * listed, re-roled, disabled and their passwords reset, by admins.
 */
const userRoutes: FastifyPluginAsyncZod = async (app) => {
  const adminOnly = app.requireRole('admin');

  app.post(
    '',
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

  app.get('', { preHandler: adminOnly, schema: { querystring: ListQuery, response: { 200: page(UserItem) } } }, async (req) =>
    listUsers(app.db, req.query),
  );

  app.patch(
    '/:id',
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
    '/:id/password-reset',
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

export default userRoutes;
