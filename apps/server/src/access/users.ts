import { z } from 'zod';
import { appendAuditInTx } from '../audit/repository';
import { RoleArg } from './credentials';
import type { Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { AdvisoryLock } from '../db/advisory-locks';
import type { UserItem } from '@plumbline/protocol/access';

/** Users and API keys as the CLI and the admin API see them; shared so both behave alike. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (d: Date | null) => d?.toISOString() ?? null;

export async function listUsers(
  db: Database,
  page: { limit: number; offset: number } = { limit: 1000, offset: 0 },
): Promise<{ items: UserItem[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.prisma.user.findMany({ orderBy: { email: 'asc' }, skip: page.offset, take: page.limit }),
    db.prisma.user.count(),
  ]);
  return {
    total,
    items: rows.map((u) => ({
      id: u.id,
      email: u.email,
      role: u.role,
      disabled: u.disabledAt !== null,
      disabledAt: iso(u.disabledAt),
      createdAt: u.createdAt.toISOString(),
      lastLoginAt: iso(u.lastLoginAt),
    })),
  };
}

export const UserChange = z.object({ role: RoleArg.optional(), disabled: z.boolean().optional() });
export type UserChange = z.infer<typeof UserChange>;

/**
 * Changes a user's role or disables (or re-enables) them, found by id or email. The last
 * active admin can be neither demoted nor disabled (409); disabling ends their sessions
 * in the same transaction, so the next request on any of them is refused.
 */
export async function updateUser(db: Database, who: string, change: UserChange, actor = 'cli'): Promise<UserItem> {
  const c = UserChange.safeParse(change);
  if (!c.success)
    throw new AppError(ErrorCode.badRequest, `${c.error.issues[0]?.path.join('.') || 'change'}: ${c.error.issues[0]?.message}`);
  const { role, disabled } = c.data;
  await db.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.admins);
    const user = await tx.user.findUnique({ where: UUID.test(who) ? { id: who } : { email: who.trim().toLowerCase() } });
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
  const after = await db.prisma.user.findUniqueOrThrow({ where: UUID.test(who) ? { id: who } : { email: who.trim().toLowerCase() } });
  return {
    id: after.id,
    email: after.email,
    role: after.role,
    disabled: after.disabledAt !== null,
    disabledAt: iso(after.disabledAt),
    createdAt: after.createdAt.toISOString(),
    lastLoginAt: iso(after.lastLoginAt),
  };
}

export interface ApiKeyItem {
  id: string;
  name: string;
  prefix: string;
  role: string;
  group: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export async function listApiKeys(
  db: Database,
  page: { limit: number; offset: number } = { limit: 1000, offset: 0 },
): Promise<{ items: ApiKeyItem[]; total: number }> {
  const [rows, total] = await Promise.all([
    db.prisma.apiKey.findMany({ orderBy: { createdAt: 'desc' }, skip: page.offset, take: page.limit }),
    db.prisma.apiKey.count(),
  ]);
  return {
    total,
    items: rows.map((k) => ({
      id: k.id,
      name: k.name,
      prefix: k.prefix,
      role: k.role,
      group: k.groupName,
      expiresAt: iso(k.expiresAt),
      lastUsedAt: iso(k.lastUsedAt),
      revokedAt: iso(k.revokedAt),
      createdAt: k.createdAt.toISOString(),
    })),
  };
}

/** Revokes a key by id; revoking twice is harmless, an unknown id is a 404. */
export async function revokeApiKey(db: Database, id: string, actor = 'cli'): Promise<void> {
  if (!UUID.test(id)) throw new AppError(ErrorCode.notFound, `no API key ${id}`);
  await db.prisma.$transaction(async (tx) => {
    const n = await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
    if (!n.count && !(await tx.apiKey.count({ where: { id } }))) throw new AppError(ErrorCode.notFound, `no API key ${id}`);
    if (n.count) await appendAuditInTx(tx, { actor, action: 'apikey.revoke', target: id });
  });
}

/**
 * Revokes an enrollment token or API key by id (as the API names them); revoking twice is
 * harmless, an unknown id is a 404.
 */
export async function revokeCredential(db: Database, what: 'enrollment-tokens' | 'api-keys', id: string, actor: string): Promise<void> {
  await db.prisma.$transaction(async (tx) => {
    const now = new Date();
    const n =
      what === 'api-keys'
        ? await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } })
        : await tx.enrollmentToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
    if (!n.count && !(what === 'api-keys' ? await tx.apiKey.count({ where: { id } }) : await tx.enrollmentToken.count({ where: { id } }))) {
      throw new AppError(ErrorCode.notFound, `no ${what.replace(/s$/, '').replace('-', ' ')} ${id}`);
    }
    if (n.count) await appendAuditInTx(tx, { actor, action: what === 'api-keys' ? 'apikey.revoke' : 'token.revoke', target: id });
  });
}
