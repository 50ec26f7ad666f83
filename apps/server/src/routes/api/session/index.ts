import fastifyRateLimit from '@fastify/rate-limit';
import { Credentials, PasswordChange, SessionInfo } from '@plumbline/protocol/api';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { appendAudit } from '../../../audit/repository';
import { DUMMY_PASSWORD_HASH, passwordHashQueue, verifyPassword } from '../../../crypto';
import { AppError, ErrorCode } from '../../../errors';
import { changeOwnPassword } from '../../../access/passwords';
import { findUser, recordLogin } from '../../../access/repository';
import { clearSessionCookie, startSession } from '../../../plugins/app/auth';
import { LoginThrottle } from '../../../plugins/app/throttle';

/** Login, logout, "who am I", and changing one's own password. */
const sessionRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const secure = app.config.secureCookies;
  // Progressive delay per account and client address, reserved in the database (LOGIN_DELAY).
  const throttle = new LoginThrottle(prisma);
  // And a budget per client address across accounts, for password guessing over many accounts.
  await app.register(fastifyRateLimit, { global: false });
  const addressBudget = app.createRateLimit({ max: app.config.signInBudgetPerMinute, timeWindow: 60_000 });

  /** Every request that checks a password passes here first; none is checked beyond the limits. */
  async function admit(req: FastifyRequest, email: string): Promise<void> {
    const budget = await addressBudget(req);
    if (!budget.isAllowed && budget.isExceeded) {
      throw new AppError(ErrorCode.throttled, `too many sign-in attempts from this address; try again in ${budget.ttlInSeconds} s`, {
        'retry-after': String(budget.ttlInSeconds),
      });
    }
    // Refused before an attempt is reserved: a full hash queue does not cost the client an attempt.
    const hashes = passwordHashQueue();
    if (hashes.full) {
      const wait = hashes.retryAfterSeconds();
      throw new AppError(ErrorCode.throttled, `too many passwords being checked at once; try again in ${wait} s`, {
        'retry-after': String(wait),
      });
    }
    const wait = await throttle.reserve(email, req.ip);
    if (wait > 0) {
      throw new AppError(ErrorCode.throttled, `too many failed sign-ins; try again in ${wait} s`, { 'retry-after': String(wait) });
    }
  }

  app.get('', { schema: { response: { 200: SessionInfo } } }, async (req) => {
    const p = req.principal;
    if (!p || p.kind !== 'user') throw new AppError(ErrorCode.unauthenticated, 'not signed in');
    return { user: { id: p.id, email: p.email, role: p.role }, csrfToken: p.csrfToken, mustChangePassword: p.mustChangePassword };
  });

  app.post('', { schema: { body: Credentials, response: { 200: SessionInfo } } }, async (req, reply) => {
    const { email, password } = req.body;
    // Unknown accounts are admitted, queued and hashed (against a dummy hash) like known
    // ones: neither the answer nor its cost tells which accounts exist.
    await admit(req, email);
    const user = await findUser(prisma, email);
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!user || !ok || user.disabledAt) {
      req.log.info({ email }, 'failed sign-in');
      await appendAudit(prisma, { actor: `user:${email}`, action: 'login.failed', details: { ip: req.ip } });
      throw new AppError(ErrorCode.badCredentials, 'wrong email or password');
    }
    await throttle.clear(email, req.ip);
    await recordLogin(prisma, user.id);
    req.log.info({ userId: user.id }, 'signed in');
    await appendAudit(prisma, { actor: `user:${user.email}`, action: 'login', details: { ip: req.ip } });
    return startSession(app, reply, user);
  });

  app.delete('', { preHandler: app.requireRole() }, async (req, reply) => {
    if (req.principal?.kind === 'user') {
      await app.sessions.destroy(req.principal.sessionId);
      app.bus.publish({ type: 'credentials.revoked', kind: 'session', id: req.principal.sessionId, at: new Date().toISOString() });
      await appendAudit(prisma, { actor: `user:${req.principal.email}`, action: 'logout' });
    }
    clearSessionCookie(reply, secure);
    return reply.code(204).send();
  });

  app.post(
    '/password',
    { preHandler: app.requireRole(), schema: { body: PasswordChange, response: { 200: SessionInfo } } },
    async (req) => {
      const p = req.principal;
      if (p?.kind !== 'user') throw new AppError(ErrorCode.forbidden, 'an API key has no password: sign in as the user to change theirs');
      // The current password is guessed no faster here than at sign-in (a stolen session must not help).
      await admit(req, p.email);
      const changed = await changeOwnPassword(app.db, p.id, req.body.currentPassword, req.body.newPassword, p.sessionId);
      await throttle.clear(p.email, req.ip);
      for (const id of changed.endedSessions)
        app.bus.publish({ type: 'credentials.revoked', kind: 'session', id, at: new Date().toISOString() });
      req.log.info({ userId: p.id, sessionsEnded: changed.endedSessions.length }, 'password changed');
      return { user: { id: p.id, email: p.email, role: p.role }, csrfToken: p.csrfToken, mustChangePassword: false };
    },
  );
};

export default sessionRoutes;
