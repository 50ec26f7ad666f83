import { z } from 'zod';
import { RoleArg } from './credentials';
import type { Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { apiKeyPage, changeUser, revokeCredential as revokeCredentialRow, userPage } from './repository';
import type { UserItem } from '@plumbline/protocol/access';

/** Users and API keys as the CLI and the admin API see them; shared so both behave alike. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const iso = (d: Date | null) => d?.toISOString() ?? null;

function userItem(u: {
  id: string;
  email: string;
  role: UserItem['role'];
  disabledAt: Date | null;
  createdAt: Date;
  lastLoginAt: Date | null;
}): UserItem {
  return {
    id: u.id,
    email: u.email,
    role: u.role,
    disabled: u.disabledAt !== null,
    disabledAt: iso(u.disabledAt),
    createdAt: u.createdAt.toISOString(),
    lastLoginAt: iso(u.lastLoginAt),
  };
}

export async function listUsers(
  db: Database,
  page: { limit: number; offset: number } = { limit: 1000, offset: 0 },
): Promise<{ items: UserItem[]; total: number }> {
  const { rows, total } = await userPage(db.prisma, page);
  return { total, items: rows.map(userItem) };
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
  return userItem(await changeUser(db.prisma, who, c.data, actor));
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
  const { rows, total } = await apiKeyPage(db.prisma, page);
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
  if (!UUID.test(id) || !(await revokeCredentialRow(db.prisma, 'api-keys', id, actor)))
    throw new AppError(ErrorCode.notFound, `no API key ${id}`);
}

/**
 * Revokes an enrollment token or API key by id (as the API names them); revoking twice is
 * harmless, an unknown id is a 404.
 */
export async function revokeCredential(db: Database, what: 'enrollment-tokens' | 'api-keys', id: string, actor: string): Promise<void> {
  if (!(await revokeCredentialRow(db.prisma, what, id, actor)))
    throw new AppError(ErrorCode.notFound, `no ${what.replace(/s$/, '').replace('-', ' ')} ${id}`);
}
