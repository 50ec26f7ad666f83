import type { PrismaClient, Role } from '../generated/prisma/client';
import { appendAuditInTx } from '../audit/repository';
import { AdvisoryLock } from '../db/advisory-locks';
import type { Tx } from '../db/write-batch';
import { AppError, ErrorCode } from '../errors';
import { paged } from '../db/page';

/** Users, their sessions and sign-in attempts, and API keys. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user named by id or by (case-insensitive) email, as the CLI and the API accept both. */
const userWhere = (who: string) => (UUID.test(who) ? { id: who } : { email: who.trim().toLowerCase() });

export function findUser(prisma: Tx, who: string) {
  return prisma.user.findUnique({ where: userWhere(who) });
}

export function userCount(prisma: PrismaClient): Promise<number> {
  return prisma.user.count();
}

export function insertUser(prisma: PrismaClient, data: { email: string; role: Role; passwordHash: string }) {
  return prisma.user.create({ data });
}

/**
 * Creates the first admin, only while no account exists (null when one does). The count and
 * the insert run under the admin advisory lock: in READ COMMITTED, parallel setups each
 * counted zero users and each made an admin; with the lock the second waits, then counts the
 * first. The password is hashed under the lock too, so a burst of setups hashes once (a hash
 * takes 128 MiB), and the others return without hashing.
 */
export function insertFirstAdmin(prisma: PrismaClient, email: string, hashPassword: () => Promise<string>) {
  return prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.admins);
      if ((await tx.user.count()) > 0) return null;
      const created = await tx.user.create({ data: { email, role: 'admin', passwordHash: await hashPassword() } });
      await appendAuditInTx(tx, {
        actor: `user:${created.email}`,
        action: 'user.create',
        target: created.email,
        details: { role: 'admin', via: 'first-run setup' },
      });
      return created;
    },
    // Waiting for the lock while another setup hashes; a hash can take seconds on a busy machine.
    { maxWait: 30_000, timeout: 60_000 },
  );
}

export async function recordLogin(prisma: PrismaClient, userId: string, at = new Date()): Promise<void> {
  await prisma.user.update({ where: { id: userId }, data: { lastLoginAt: at } });
}

/**
 * Stores a user's new password hash and ends their sessions (all, or all but `keepSession`)
 * in one transaction with its audit entry: a session opened with the old password never
 * outlives it. Returns the ids of the sessions that ended.
 */
export function replacePassword(
  prisma: PrismaClient,
  userId: string,
  change: { passwordHash: string; mustChange: boolean; keepSession?: string | undefined; actor: string; action: string },
) {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.update({
      where: { id: userId },
      data: { passwordHash: change.passwordHash, mustChangePassword: change.mustChange },
    });
    const ending = await tx.session.findMany({
      where: { userId: user.id, ...(change.keepSession && { id: { not: change.keepSession } }) },
      select: { id: true },
    });
    await tx.session.deleteMany({ where: { id: { in: ending.map((s) => s.id) } } });
    await appendAuditInTx(tx, {
      actor: change.actor,
      action: change.action,
      target: user.email,
      details: { sessionsEnded: ending.length, mustChange: change.mustChange },
    });
    return { userId: user.id, email: user.email, endedSessions: ending.map((s) => s.id) };
  });
}

export function userPage(prisma: PrismaClient, page: { limit: number; offset: number }) {
  return paged(prisma.user.findMany({ orderBy: { email: 'asc' }, skip: page.offset, take: page.limit }), prisma.user.count());
}

/**
 * Changes a user's role or disables (or re-enables) them, found by id or email, and returns
 * them as they are after. Under the admin lock, the last active admin can be neither demoted
 * nor disabled (409); disabling ends their sessions in the same transaction.
 */
export async function changeUser(
  prisma: PrismaClient,
  who: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined },
  actor: string,
) {
  const { role, disabled } = change;
  await prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.admins);
    const user = await findUser(tx, who);
    if (!user) throw new AppError(ErrorCode.notFound, `no user ${who}`);
    const activeAdmin = user.role === 'admin' && !user.disabledAt;
    const staysActiveAdmin = (role ?? user.role) === 'admin' && !(disabled ?? user.disabledAt !== null);
    if (activeAdmin && !staysActiveAdmin) {
      const others = await tx.user.count({ where: { role: 'admin', disabledAt: null, id: { not: user.id } } });
      if (!others) throw new AppError(ErrorCode.lastAdmin, `${user.email} is the last active admin; make another user admin first`);
    }
    if (role !== undefined && role !== user.role) {
      await tx.user.update({ where: { id: user.id }, data: { role } });
      await appendAuditInTx(tx, { actor, action: 'user.role', target: user.email, details: { from: user.role, to: role } });
    }
    if (disabled === true && !user.disabledAt) {
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
      const ended = await tx.session.deleteMany({ where: { userId: user.id } });
      await appendAuditInTx(tx, { actor, action: 'user.disable', target: user.email, details: { sessionsEnded: ended.count } });
    }
    if (disabled === false && user.disabledAt) {
      await tx.user.update({ where: { id: user.id }, data: { disabledAt: null } });
      await appendAuditInTx(tx, { actor, action: 'user.enable', target: user.email });
    }
  });
  return prisma.user.findUniqueOrThrow({ where: userWhere(who) });
}

export async function insertSession(
  prisma: PrismaClient,
  data: { tokenHash: string; csrfToken: string; userId: string; expiresAt: Date },
): Promise<void> {
  await prisma.session.create({ data });
}

export async function deleteSession(prisma: PrismaClient, id: string): Promise<void> {
  await prisma.session.deleteMany({ where: { id } });
}

/** A session by its cookie's hash, with its user. */
export function sessionByTokenHash(prisma: PrismaClient, tokenHash: string) {
  return prisma.session.findUnique({ where: { tokenHash }, include: { user: true } });
}

export async function touchSession(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.session.update({ where: { id }, data: { lastSeenAt: at } });
}

/** How long a session may still live: its expiry, its last use and whether its user is disabled. */
export function sessionDeadlines(prisma: PrismaClient, id: string) {
  return prisma.session.findUnique({
    where: { id },
    select: { expiresAt: true, lastSeenAt: true, user: { select: { disabledAt: true } } },
  });
}

export function insertApiKey(
  prisma: PrismaClient,
  data: { name: string; role: Role; prefix: string; keyHash: string; expiresAt: Date | null; groupName: string | null },
) {
  return prisma.apiKey.create({ data });
}

export function apiKeyByHash(prisma: PrismaClient, keyHash: string) {
  return prisma.apiKey.findUnique({ where: { keyHash } });
}

export function apiKeyDeadline(prisma: PrismaClient, id: string) {
  return prisma.apiKey.findUnique({ where: { id }, select: { revokedAt: true, expiresAt: true } });
}

export async function touchApiKey(prisma: PrismaClient, id: string, at: Date): Promise<void> {
  await prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } });
}

export function apiKeyPage(prisma: PrismaClient, page: { limit: number; offset: number }) {
  return paged(prisma.apiKey.findMany({ orderBy: { createdAt: 'desc' }, skip: page.offset, take: page.limit }), prisma.apiKey.count());
}

/**
 * Revokes an API key or enrollment token by id, audited once however many revoke it at once.
 * False when there is no such credential; revoking twice is harmless.
 */
export function revokeCredential(
  prisma: PrismaClient,
  what: 'api-keys' | 'enrollment-tokens',
  id: string,
  actor: string,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const now = new Date();
    const n =
      what === 'api-keys'
        ? await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } })
        : await tx.enrollmentToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    if (!n.count && !(what === 'api-keys' ? await tx.apiKey.count({ where: { id } }) : await tx.enrollmentToken.count({ where: { id } })))
      return false;
    if (n.count) await appendAuditInTx(tx, { actor, action: what === 'api-keys' ? 'apikey.revoke' : 'token.revoke', target: id });
    return true;
  });
}

/** How sign-in attempts are spaced (see LoginThrottle). */
interface AttemptSpacing {
  free: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}

/**
 * Counts one sign-in attempt of `key` if the spacing allows it now, in one statement: parallel
 * attempts (on any number of replicas) serialise on the key's row. The wait owed after
 * `attempts` attempts runs from the last one; none while attempts < free. False when refused.
 */
export async function reserveLoginAttempt(prisma: PrismaClient, key: string, s: AttemptSpacing): Promise<boolean> {
  const rows = await prisma.$queryRawUnsafe<{ attempts: number }[]>(
    `INSERT INTO login_attempts AS a (key, attempts, last_at) VALUES ($1, 1, clock_timestamp())
     ON CONFLICT (key) DO UPDATE SET
       attempts = CASE WHEN a.last_at <= clock_timestamp() - make_interval(secs => $5::int) THEN 1 ELSE a.attempts + 1 END,
       last_at = clock_timestamp()
     WHERE a.attempts < $2::int
        OR a.last_at <= clock_timestamp() - make_interval(secs => $5::int)
        OR a.last_at + make_interval(secs => least($3::int * power(2, a.attempts - $2::int), $4::int)) <= clock_timestamp()
     RETURNING a.attempts`,
    key,
    s.free,
    s.firstDelaySeconds,
    s.maxDelaySeconds,
    s.forgetAfterSeconds,
  );
  return rows.length > 0;
}

/** Seconds until `key` may try again, null when it has no attempts. */
export async function loginAttemptWait(prisma: PrismaClient, key: string, s: AttemptSpacing): Promise<number | null> {
  const [wait] = await prisma.$queryRawUnsafe<{ seconds: number | null }[]>(
    `SELECT ceil(extract(epoch FROM a.last_at + make_interval(secs => least($3::int * power(2, a.attempts - $2::int), $4::int)) - clock_timestamp()))::int AS seconds
     FROM login_attempts a WHERE key = $1`,
    key,
    s.free,
    s.firstDelaySeconds,
    s.maxDelaySeconds,
  );
  return wait?.seconds ?? null;
}

export async function clearLoginAttempts(prisma: PrismaClient, key: string): Promise<void> {
  await prisma.$executeRawUnsafe('DELETE FROM login_attempts WHERE key = $1', key);
}

/** Drops keys nobody tried for `forgetAfterSeconds`; returns how many. */
export function pruneLoginAttempts(prisma: PrismaClient, forgetAfterSeconds: number): Promise<number> {
  return prisma.$executeRawUnsafe(
    'DELETE FROM login_attempts WHERE last_at <= clock_timestamp() - make_interval(secs => $1::int)',
    forgetAfterSeconds,
  );
}
