import { NewPassword } from '@plumbline/protocol/api';
import { parseDuration } from '@plumbline/protocol/duration';
import { z } from 'zod';
import { hashPassword, newSecret, SecretKind } from '../crypto';
import type { Database } from '../db/open';
import { appendAudit } from '../audit/repository';
import { insertEnrollmentToken } from '../enrollment/repository';
import { groupExists } from '../policy/repository';
import { findUser, insertApiKey, insertUser } from './repository';
import { AppError, conflictOnUnique, ErrorCode } from '../errors';

const invalid = (message: string) => new AppError(ErrorCode.badRequest, message);

/** Account and secret administration, shared by the CLI and the admin API. Bad input throws a 400 AppError. */

export const RoleArg = z.enum(['admin', 'operator', 'auditor'], { message: 'role must be admin, operator or auditor' });
const Email = z.string().trim().toLowerCase().email('not a valid email address');

export async function addUser(db: Database, email: string, role: string, password: string, actor = 'cli'): Promise<string> {
  const e = Email.safeParse(email);
  if (!e.success) throw invalid(`--email: ${e.error.issues[0]?.message}`);
  const r = RoleArg.safeParse(role);
  if (!r.success) throw invalid(`--role: ${r.error.issues[0]?.message}`);
  const p = NewPassword.safeParse(password);
  if (!p.success) throw invalid(`password: ${p.error.issues[0]?.message}`);
  const taken = `a user ${e.data} exists already`;
  if (await findUser(db.prisma, e.data)) throw new AppError(ErrorCode.conflict, taken);
  const user = await insertUser(db.prisma, { email: e.data, role: r.data, passwordHash: await hashPassword(p.data) }).catch(
    conflictOnUnique(taken),
  );
  await appendAudit(db.prisma, { actor, action: 'user.create', target: e.data, details: { role: r.data } });
  return user.id;
}

export interface ApiKeyOptions {
  /** Lifetime as a duration (`30d`, `12h`), or an absolute end: at most one of the two. */
  expires?: string | undefined;
  expiresAt?: Date | undefined;
  /** Limit the key to one group's hosts. */
  group?: string | undefined;
}

export async function createApiKey(
  db: Database,
  name: string,
  role: string,
  actor = 'cli',
  opts: ApiKeyOptions = {},
  now = new Date(),
): Promise<string> {
  const r = RoleArg.safeParse(role);
  if (!r.success) throw invalid(`--role: ${r.error.issues[0]?.message}`);
  if (!name.trim()) throw invalid('--name must not be empty');
  if (opts.expires !== undefined && opts.expiresAt !== undefined)
    throw invalid('give --expires (a duration) or expiresAt (a date), not both');
  let expiresAt = opts.expiresAt ?? null;
  if (opts.expires !== undefined) {
    const ms = parseDuration(opts.expires);
    if (!ms) throw invalid(`--expires: '${opts.expires}' is not a duration like 30d, 24h or 90m`);
    expiresAt = new Date(now.getTime() + ms);
  }
  if (expiresAt && !(expiresAt.getTime() > now.getTime())) throw invalid('expiresAt must be in the future');
  const group = opts.group?.trim() || null;
  if (group && !(await groupExists(db.prisma, group))) throw invalid(`--group: no group ${group}`);
  const { secret, prefix, hash } = newSecret(SecretKind.apiKey);
  // Names are unique, revoked keys included: the audit trail names a key's actions `apikey:<name>`.
  const key = await insertApiKey(db.prisma, { name: name.trim(), role: r.data, prefix, keyHash: hash, expiresAt, groupName: group }).catch(
    conflictOnUnique(`--name: an API key named ${name.trim()} exists (revoked keys keep their names)`),
  );
  await appendAudit(db.prisma, {
    actor,
    action: 'apikey.create',
    target: key.id,
    details: { name: key.name, role: r.data, prefix, expiresAt: expiresAt?.toISOString() ?? null, group },
  });
  return secret;
}

/** Enrollment tokens expire unless told otherwise: a leaked old token enrolls nothing. */
export const DEFAULT_TOKEN_LIFETIME = '7d';

export interface TokenOptions {
  name: string;
  expires?: string | undefined;
  group?: string | undefined;
  maxUses?: string | undefined;
}

export async function createEnrollmentToken(db: Database, opts: TokenOptions, now = new Date(), actor = 'cli'): Promise<string> {
  if (!opts.name.trim()) throw invalid('--name must not be empty');
  const ms = parseDuration(opts.expires ?? DEFAULT_TOKEN_LIFETIME);
  if (!ms) throw invalid(`--expires: '${opts.expires}' is not a duration like 24h, 7d or 30m`);
  const expiresAt = new Date(now.getTime() + ms);
  let maxUses: number | null = null;
  if (opts.maxUses !== undefined) {
    maxUses = Number(opts.maxUses);
    if (!Number.isInteger(maxUses) || maxUses < 1) throw invalid('--max-uses must be a whole number of at least 1');
  }
  const { secret, prefix, hash } = newSecret(SecretKind.enrollment);
  const group = opts.group?.trim();
  // Naming a group enrolls into it; a new name creates it with the default policy.
  const token = await insertEnrollmentToken(db.prisma, {
    name: opts.name.trim(),
    prefix,
    tokenHash: hash,
    expiresAt,
    maxUses,
    groupName: group || null,
  });
  await appendAudit(db.prisma, {
    actor,
    action: 'token.create',
    target: token.id,
    details: { name: token.name, prefix, group: group || null, expiresAt: expiresAt.toISOString(), maxUses },
  });
  return secret;
}
