import { z } from 'zod';
import { NewPassword, Role } from './api';

/** Payloads of the API that manages who gets in: first-run setup, users, API keys, enrollment tokens, audit. */

export const SetupStatus = z.object({ needed: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const UserItem = z.object({
  id: z.string(),
  email: z.string(),
  role: Role,
  disabled: z.boolean(),
  disabledAt: z.string().nullable(),
  createdAt: z.string(),
  lastLoginAt: z.string().nullable(),
});
export type UserItem = z.infer<typeof UserItem>;

export const UserCreate = z.object({ email: z.string(), role: Role, password: NewPassword });
export type UserCreate = z.input<typeof UserCreate>;
export const UserCreated = z.object({ id: z.string() });
export type UserCreated = z.infer<typeof UserCreated>;

/** PATCH /users/:id: the server refuses (409) to demote or disable the last active admin. */
export const UserChange = z.object({ role: Role.optional(), disabled: z.boolean().optional() });
export type UserChange = z.infer<typeof UserChange>;

/** Credentials are listed by prefix: only their hashes are stored. */
export const ApiKeyItem = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.string(),
  group: z.string().nullable(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ApiKeyItem = z.infer<typeof ApiKeyItem>;

/** `expires` is a duration such as `90d`; `group` scopes the key to one group's hosts. */
export const ApiKeyCreate = z.object({
  name: z.string(),
  role: Role,
  expires: z.string().max(32).optional(),
  group: z.string().max(100).optional(),
});
export type ApiKeyCreate = z.input<typeof ApiKeyCreate>;
/** The key in clear, shown once. */
export const ApiKeyCreated = z.object({ key: z.string() });
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;

export const EnrollmentTokenItem = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  group: z.string().nullable(),
  uses: z.number(),
  maxUses: z.number().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type EnrollmentTokenItem = z.infer<typeof EnrollmentTokenItem>;

export const EnrollmentTokenCreate = z.object({
  name: z.string(),
  expires: z.string().optional(),
  group: z.string().optional(),
  maxUses: z.number().int().optional(),
});
export type EnrollmentTokenCreate = z.input<typeof EnrollmentTokenCreate>;
/** The token in clear, shown once. */
export const EnrollmentTokenCreated = z.object({ token: z.string() });
export type EnrollmentTokenCreated = z.infer<typeof EnrollmentTokenCreated>;

/** One entry of the hash-chained audit log. */
export const AuditEntry = z.object({
  seq: z.string(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  /** The target named for a person (a hostname, a user's email, a rule title); null when it names nothing known. */
  targetName: z.string().nullable().optional(),
  details: z.unknown(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
