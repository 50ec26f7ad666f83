import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { hashSecret, newSecret, SecretKind, secretKind } from '../../crypto';
import { AppError, ErrorCode } from '../../errors';
import { bearerOf } from '../../enrollment/agent-auth';
import { apiKeyByHash, deleteSession, insertSession, sessionByTokenHash, touchApiKey, touchSession } from '../../access/repository';

export type Role = 'admin' | 'operator' | 'auditor';

/** Who made an API request: a logged-in user (cookie session) or an API key. */
export type Principal =
  | { kind: 'user'; id: string; email: string; role: Role; sessionId: string; csrfToken: string; mustChangePassword: boolean }
  | { kind: 'apikey'; id: string; name: string; role: Role; group: string | null };

/**
 * What a group-scoped API key may call: the routes that filter hosts by the key's group.
 * Every other route refuses such a key (403), so a route added later fails closed.
 */
const GROUP_SCOPED_ROUTES = new Set([
  'GET /api/v1/hosts',
  'GET /api/v1/hosts/:id',
  'GET /api/v1/hosts/:id/changes',
  'GET /api/v1/hosts/:id/results',
  'GET /api/v1/rules/:id/hosts',
  'GET /api/v1/drift',
  'GET /api/v1/rules',
  'GET /api/v1/rules/:id',
  'GET /api/v1/rules/custom',
  'GET /api/v1/rules/custom/:name',
]);

/**
 * All a user whose password an admin reset may call until they choose a new one: every
 * other route refuses them (403), so a route added later fails closed here too.
 */
const PASSWORD_CHANGE_ROUTES = new Set(['DELETE /api/v1/session', 'POST /api/v1/session/password']);

/** The group a request may see hosts of, or null when it may see the whole fleet. */
export function hostScope(req: FastifyRequest): string | null {
  const p = req.principal;
  return p?.kind === 'apikey' ? p.group : null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
    /** Why a presented credential was refused (an expired key), answered instead of a plain 401. */
    authProblem: AppError | null;
  }
  interface FastifyInstance {
    sessions: SessionStore;
    /** preHandler: the request must come from one of these roles. */
    requireRole(...roles: Role[]): (req: FastifyRequest) => Promise<void>;
  }
}

export const SESSION_COOKIE = 'plumbline_session';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** A session unused for this long ends, whatever its absolute expiry. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface SessionStore {
  create(userId: string): Promise<{ cookie: string; csrfToken: string; expiresAt: Date }>;
  destroy(sessionId: string): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Resolves the principal of every request from an API key (`Authorization: Bearer plk_...`)
 * or the session cookie, and enforces CSRF on cookie-authenticated writes: the session's
 * token must come back in `x-csrf-token`. Routes declare what they need with requireRole.
 */
export default fp(
  async (app) => {
    const prisma = app.db.prisma;
    app.decorateRequest('principal', null);
    app.decorateRequest('authProblem', null);

    app.decorate('sessions', {
      async create(userId: string) {
        const { secret, hash } = newSecret(SecretKind.session);
        const csrf = newSecret(SecretKind.session).secret.slice(4);
        const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
        await insertSession(prisma, { tokenHash: hash, csrfToken: csrf, userId, expiresAt });
        return { cookie: secret, csrfToken: csrf, expiresAt };
      },
      async destroy(sessionId: string) {
        await deleteSession(prisma, sessionId);
      },
    } satisfies SessionStore);

    app.addHook('onRequest', async (req) => {
      req.principal = await resolvePrincipal(req);
    });

    async function resolvePrincipal(req: FastifyRequest): Promise<Principal | null> {
      const bearer = bearerOf(req.headers.authorization);
      if (bearer) {
        if (secretKind(bearer) !== SecretKind.apiKey) return null;
        const key = await apiKeyByHash(prisma, hashSecret(bearer));
        if (!key || key.revokedAt) return null;
        if (key.expiresAt && key.expiresAt.getTime() <= Date.now()) {
          req.authProblem = new AppError(ErrorCode.keyExpired, `this API key expired at ${key.expiresAt.toISOString()}`);
          return null;
        }
        if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
          await touchApiKey(prisma, key.id, new Date()).catch(() => undefined);
        }
        return { kind: 'apikey', id: key.id, name: key.name, role: key.role, group: key.groupName };
      }
      const cookie = req.cookies?.[SESSION_COOKIE];
      if (!cookie || secretKind(cookie) !== SecretKind.session) return null;
      const session = await sessionByTokenHash(prisma, hashSecret(cookie));
      const now = Date.now();
      if (!session || session.expiresAt.getTime() <= now || session.user.disabledAt) return null;
      if (now - session.lastSeenAt.getTime() > SESSION_IDLE_MS) {
        await deleteSession(prisma, session.id);
        return null;
      }
      // Written at most once a minute per session: the idle clock need not be finer.
      if (now - session.lastSeenAt.getTime() > 60_000) {
        await touchSession(prisma, session.id, new Date(now)).catch(() => undefined);
      }
      const u = session.user;
      return {
        kind: 'user',
        id: u.id,
        email: u.email,
        role: u.role,
        sessionId: session.id,
        csrfToken: session.csrfToken,
        mustChangePassword: u.mustChangePassword,
      };
    }

    app.decorate('requireRole', (...roles: Role[]) => async (req: FastifyRequest) => {
      const p = req.principal;
      if (!p) throw req.authProblem ?? new AppError(ErrorCode.unauthenticated, 'sign in, or send an API key as Authorization: Bearer');
      if (p.kind === 'apikey' && p.group !== null && !GROUP_SCOPED_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) {
        throw new AppError(
          ErrorCode.forbidden,
          `this API key is scoped to group ${p.group}; ${req.method} ${req.routeOptions.url} is not open to group-scoped keys`,
        );
      }
      if (p.kind === 'user' && !SAFE_METHODS.has(req.method)) {
        const sent = req.headers['x-csrf-token'];
        if (typeof sent !== 'string' || !sameSecret(sent, p.csrfToken)) {
          throw new AppError(ErrorCode.csrf, 'missing or wrong x-csrf-token header');
        }
      }
      if (p.kind === 'user' && p.mustChangePassword && !PASSWORD_CHANGE_ROUTES.has(`${req.method} ${req.routeOptions.url}`)) {
        throw new AppError(
          ErrorCode.passwordChangeRequired,
          'your password was reset: choose a new one (POST /api/v1/session/password) before anything else',
        );
      }
      if (roles.length && !roles.includes(p.role)) {
        throw new AppError(ErrorCode.forbidden, `this needs one of the roles: ${roles.join(', ')}`);
      }
    });
  },
  { name: 'auth', dependencies: ['db'] },
);

export function setSessionCookie(reply: FastifyReply, value: string, expiresAt: Date, secure: boolean): void {
  reply.setCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: '/', expires: expiresAt });
}

/** Opens a session for a user who just proved who they are, and answers with it. */
export async function startSession(
  app: FastifyInstance,
  reply: FastifyReply,
  user: { id: string; email: string; role: Role; mustChangePassword: boolean },
) {
  const s = await app.sessions.create(user.id);
  setSessionCookie(reply, s.cookie, s.expiresAt, app.config.secureCookies);
  return {
    user: { id: user.id, email: user.email, role: user.role },
    csrfToken: s.csrfToken,
    mustChangePassword: user.mustChangePassword,
  };
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'lax', secure, path: '/' });
}

/** How the audit trail names whoever made a request. */
export function actorOf(p: Principal | null): string {
  if (!p) return 'anonymous';
  return p.kind === 'user' ? `user:${p.email}` : `apikey:${p.name}`;
}
