import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Tx } from '../db/write-batch';
import { AdvisoryLock } from '../db/advisory-locks';
import {
  CHAIN_GENESIS,
  entryHash,
  verifyChain,
  type AuditInput,
  type ChainEntry,
  type ChainMark,
  type ChainStart,
  type VerifyResult,
} from './trail';
import type { ChainHead } from './checkpoint';
import { paged } from '../db/page';
import { containsText, likePattern } from '../db/like';

/** The audit trail's entries: appended under one lock, read in order (see trail.ts for the chain). */

/** Appends in a transaction of its own. */
export async function appendAudit(prisma: PrismaClient, input: AuditInput, at = new Date()): Promise<void> {
  await prisma.$transaction((tx) => appendAuditInTx(tx, input, at));
}

/** Appends within the caller's transaction: the entry exists exactly when the change it records does. */
export async function appendAuditInTx(tx: Tx, input: AuditInput, at = new Date()): Promise<void> {
  // Held until the transaction ends, so two appends never claim the same predecessor.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.auditAppend);
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
  const prevHash = last?.hash ?? CHAIN_GENESIS.prevHash;
  const entry = { at, actor: input.actor, action: input.action, target: input.target ?? null, details: input.details ?? {} };
  await tx.auditEntry.create({
    data: { ...entry, details: entry.details as Prisma.InputJsonValue, prevHash, hash: entryHash(prevHash, entry) },
  });
}

/** Runs `write` and appends the audit entry it describes (made from its result) in one transaction. */
export function writeAudited<T>(prisma: PrismaClient, write: (tx: Tx) => Promise<T>, audit: (row: T) => AuditInput): Promise<T> {
  return prisma.$transaction(async (tx) => {
    const row = await write(tx);
    await appendAuditInTx(tx, audit(row));
    return row;
  });
}

/** The head and the entry count, read under the append lock so that no entry lands between the two reads. */
export async function chainHead(prisma: PrismaClient): Promise<ChainHead | null> {
  return prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.auditAppend);
    const head = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
    if (!head) return null;
    return { seq: head.seq.toString(), hash: head.hash, entries: await tx.auditEntry.count() };
  });
}

/** The entries after `after` (up to and including `through`, when given), in chain order, a page at a time. */
export async function* auditEntries(prisma: PrismaClient, after: bigint, through?: bigint, pageSize = 2000): AsyncGenerator<ChainEntry> {
  for (;;) {
    const page = await prisma.auditEntry.findMany({
      where: { seq: { gt: after, ...(through !== undefined && { lte: through }) } },
      orderBy: { seq: 'asc' },
      take: pageSize,
    });
    for (const e of page) yield e;
    if (page.length < pageSize) return;
    after = (page[page.length - 1] as ChainEntry).seq;
  }
}

/** The whole chain in the database against the signed checkpoints (see verifyChain). */
export function verifyAudit(prisma: PrismaClient, marks: ChainMark[] = [], pageSize = 5000): Promise<VerifyResult> {
  return verifyChain(auditEntries(prisma, 0n, undefined, pageSize), marks);
}

/**
 * Where the audit chain's slice for a period starts: after the last entry before the first one
 * made at or after `from` (its hash, sequence number and the count of entries up to it). With
 * no entry in the period up to `through`, the slice is empty and starts at `through` itself.
 */
export async function auditSliceStart(prisma: PrismaClient, from: Date, through: bigint): Promise<ChainStart> {
  const first = await prisma.auditEntry.findFirst({
    where: { at: { gte: from }, seq: { lte: through } },
    orderBy: { seq: 'asc' },
    select: { seq: true },
  });
  const before = first ? { lt: first.seq } : { lte: through };
  const prev = await prisma.auditEntry.findFirst({ where: { seq: before }, orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  if (!prev) return CHAIN_GENESIS;
  return { prevHash: prev.hash, seq: prev.seq, entries: await prisma.auditEntry.count({ where: { seq: { lte: prev.seq } } }) };
}

export interface AuditFilter {
  /** Exact action name (`waiver.approve`). */
  action?: string;
  /** Part of the actor (`user:ana@example.com`, `apikey:ci`), any case. */
  actor?: string;
  /** Part of the target as stored, or of the name of what it points to (a hostname, a key's name), any case. */
  target?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** At most this many named things are searched for a target filter (a name common to more is too vague to list). */
const TARGET_MATCH_LIMIT = 500;

/**
 * What the trail's targets point to: entries store ids for hosts, credentials, waivers,
 * schedules and webhooks (names for users, groups and rule packs). One SELECT per kind gives
 * `id, name`, the kind in the name, so a person reads "API key ci" and not a UUID; ids stay
 * uuid, so naming a page looks each up by primary key.
 */
const TARGET_NAMES = [
  `SELECT id, hostname AS name FROM hosts`,
  `SELECT id, 'API key ' || name FROM api_keys`,
  `SELECT id, 'token ' || name FROM enrollment_tokens`,
  `SELECT id, 'waiver of ' || rule_id || ' (' || scope_type || ')' FROM waivers`,
  `SELECT id, 'webhook ' || name FROM webhooks`,
  `SELECT id, 'schedule ' || name FROM report_schedules`,
].join(' UNION ALL ');

/** A page of the audit trail, newest first, filtered by action, actor and target (see AuditFilter). */
export async function auditPage(prisma: PrismaClient, filter: AuditFilter, page: { offset: number; limit: number }) {
  const where: Prisma.AuditEntryWhereInput = {
    ...(filter.action && { action: filter.action }),
    ...(filter.actor && { actor: containsText(filter.actor) }),
  };
  if (filter.target) {
    const named = await prisma.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id::text FROM (${TARGET_NAMES}) t WHERE name ILIKE $1 LIMIT ${TARGET_MATCH_LIMIT}`,
      likePattern(filter.target),
    );
    where.OR = [{ target: containsText(filter.target) }, ...(named.length ? [{ target: { in: named.map((r) => r.id) } }] : [])];
  }
  return paged(
    prisma.auditEntry.findMany({ where, orderBy: { seq: 'desc' }, skip: page.offset, take: page.limit }),
    prisma.auditEntry.count({ where }),
  );
}

/** Names for the id targets among `targets` (target -> name); targets already names are left out. */
export async function auditTargetNames(prisma: PrismaClient, targets: (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(targets.filter((t): t is string => !!t && UUID.test(t)))];
  if (!ids.length) return new Map();
  const rows = await prisma.$queryRawUnsafe<{ id: string; name: string }[]>(
    `SELECT id::text, name FROM (${TARGET_NAMES}) t WHERE id = ANY($1::uuid[])`,
    ids,
  );
  return new Map(rows.map((r) => [r.id, r.name]));
}
