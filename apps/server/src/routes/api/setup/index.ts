import { Credentials, NewPassword, SessionInfo } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { hashPassword } from '../../../crypto';
import { createFirstAdmin, setupDone, setupNeeded } from '../../../access/first-admin';
import { startSession } from '../../../plugins/app/auth';

/** The first-run setup that creates the first admin and signs them in. */
const setupRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('', { schema: { response: { 200: z.object({ needed: z.boolean() }) } } }, async () => ({
    needed: await setupNeeded(app.db),
  }));

  app.post('', { schema: { body: Credentials.extend({ password: NewPassword }), response: { 200: SessionInfo } } }, async (req, reply) => {
    if (!(await setupNeeded(app.db))) throw setupDone();
    const user = await createFirstAdmin(app.db, req.body.email, () => hashPassword(req.body.password));
    req.log.info({ userId: user.id }, 'first admin created');
    return startSession(app, reply, user);
  });
};

export default setupRoutes;
