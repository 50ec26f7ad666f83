import { z } from 'zod';

/** Payloads of the HTTP API, shared by the server (validation, OpenAPI) and the dashboard (types). */

export const ApiError = z.object({ code: z.string(), message: z.string() });

export const Role = z.enum(['admin', 'operator', 'auditor']);

export const Credentials = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  password: z.string().min(1).max(1024),
});

/** Passwords users choose: long enough to resist guessing (OWASP: at least 12). */
export const NewPassword = z.string().min(12, 'at least 12 characters').max(1024);

export const SessionInfo = z.object({
  user: z.object({ id: z.string(), email: z.string(), role: Role }),
  csrfToken: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const HostsQuery = ListQuery.extend({
  q: z.string().max(200).optional(),
  sort: z.enum(['hostname', 'lastSeenAt', 'os', 'createdAt']).default('hostname'),
  order: z.enum(['asc', 'desc']).default('asc'),
});

export const HostSummary = z.object({
  id: z.string(),
  hostname: z.string(),
  os: z.string().nullable(),
  osId: z.string().nullable(),
  osVersion: z.string().nullable(),
  kernel: z.string().nullable(),
  arch: z.string().nullable(),
  agentVersion: z.string().nullable(),
  group: z.string().nullable(),
  online: z.boolean(),
  lastSeenAt: z.string().nullable(),
  createdAt: z.string(),
});
export type HostSummary = z.infer<typeof HostSummary>;

export const HostDetail = HostSummary.extend({
  machineId: z.string().nullable(),
  facts: z.record(z.string(), z.unknown()).nullable(),
  factErrors: z.record(z.string(), z.object({ code: z.string(), message: z.string(), path: z.string().optional() })),
  observedAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
});
export type HostDetail = z.infer<typeof HostDetail>;

export const FactChangeItem = z.object({
  id: z.string(),
  fact: z.string(),
  path: z.string(),
  op: z.enum(['add', 'remove', 'replace']),
  before: z.unknown(),
  after: z.unknown(),
  observedAt: z.string(),
  receivedAt: z.string(),
});
export type FactChangeItem = z.infer<typeof FactChangeItem>;

export const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int() });
