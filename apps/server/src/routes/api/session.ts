import { Credentials, NewPassword, SessionInfo } from '@plumbline/protocol/api';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAudit } from '../../audit/trail';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../../crypto';
import { AppError, ErrorCode } from '../../errors';
import { createFirstAdmin, setupDone, setupNeeded } from '../../first-admin';
import { clearSessionCookie, setSessionCookie } from '../../plugins/app/auth';
import { FailureThrottle } from '../../plugins/app/throttle';

/** Login, logout, "who am I", and the first-run setup that creates the first admin. */
export const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const secure = app.config.secureCookies;
  // 5 wrong passwords per account, 20 per address, in 15 minutes.
  const perAccount = new FailureThrottle(5, 15 * 60_000);
  const perAddress = new FailureThrottle(20, 15 * 60_000);

  async function startSession(reply: FastifyReply, user: { id: string; email: string; role: 'admin' | 'operator' | 'auditor' }) {
    const s = await app.sessions.create(user.id);
    setSessionCookie(reply, s.cookie, s.expiresAt, secure);
    return { user: { id: user.id, email: user.email, role: user.role }, csrfToken: s.csrfToken };
  }

  app.get('/api/v1/session', { schema: { response: { 200: SessionInfo } } }, async (req) => {
    const p = req.principal;
    if (!p || p.kind !== 'user') throw new AppError(ErrorCode.unauthenticated, 'not signed in');
    return { user: { id: p.id, email: p.email, role: p.role }, csrfToken: p.csrfToken };
  });

  app.post('/api/v1/session', { schema: { body: Credentials, response: { 200: SessionInfo } } }, async (req, reply) => {
    const { email, password } = req.body;
    const wait = Math.max(perAccount.retryAfter(email), perAddress.retryAfter(req.ip));
    if (wait > 0) {
      throw new AppError(ErrorCode.throttled, `too many failed sign-ins; try again in ${wait} s`, { 'retry-after': String(wait) });
    }
    const user = await prisma.user.findUnique({ where: { email } });
    // Verify against a dummy hash for unknown accounts, so timing does not reveal which exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok || user.disabledAt) {
      perAccount.fail(email);
      perAddress.fail(req.ip);
      req.log.info({ email }, 'failed sign-in');
      await appendAudit(prisma, { actor: `user:${email}`, action: 'login.failed', details: { ip: req.ip } });
      throw new AppError(ErrorCode.badCredentials, 'wrong email or password');
    }
    perAccount.reset(email);
    await prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    req.log.info({ userId: user.id }, 'signed in');
    await appendAudit(prisma, { actor: `user:${user.email}`, action: 'login', details: { ip: req.ip } });
    return startSession(reply, user);
  });

  app.delete('/api/v1/session', { preHandler: app.requireRole() }, async (req, reply) => {
    if (req.principal?.kind === 'user') {
      await app.sessions.destroy(req.principal.sessionId);
      app.bus.publish({ type: 'credentials.revoked', kind: 'session', id: req.principal.sessionId, at: new Date().toISOString() });
      await appendAudit(prisma, { actor: `user:${req.principal.email}`, action: 'logout' });
    }
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  app.get('/api/v1/setup', { schema: { response: { 200: z.object({ needed: z.boolean() }) } } }, async () => ({
    needed: await setupNeeded(app.db),
  }));

  app.post(
    '/api/v1/setup',
    { schema: { body: Credentials.extend({ password: NewPassword }), response: { 200: SessionInfo } } },
    async (req, reply) => {
      if (!(await setupNeeded(app.db))) throw setupDone();
      const user = await createFirstAdmin(app.db, req.body.email, () => hashPassword(req.body.password));
      req.log.info({ userId: user.id }, 'first admin created');
      return startSession(reply, user);
    },
  );
};
