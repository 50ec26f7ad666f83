import { createHash } from 'node:crypto';
import { canonicalJson } from '@plumbline/protocol/digest';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

/**
 * The audit trail: append-only (a database trigger refuses UPDATE, DELETE and TRUNCATE)
 * and hash-chained, each entry's hash covering its content and the previous entry's hash,
 * so an altered or removed row breaks the chain at a place `verify` can name.
 */
export interface AuditInput {
  /** `user:<email>`, `apikey:<name>`, `agent:<hostId>`, `cli`, `system` */
  actor: string;
  action: string;
  target?: string | null;
  details?: Record<string, unknown>;
}

const GENESIS = '0'.repeat(64);
const AUDIT_LOCK_ID = 7_770_001;

export function entryHash(prevHash: string, e: { at: Date; actor: string; action: string; target: string | null; details: unknown }): string {
  const content = canonicalJson({ at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, details: e.details });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

type Tx = Prisma.TransactionClient;

/** Appends in a transaction of its own. */
export async function appendAudit(prisma: PrismaClient, input: AuditInput, at = new Date()): Promise<void> {
  await prisma.$transaction((tx) => appendAuditInTx(tx, input, at));
}

/** Appends within the caller's transaction: the entry exists exactly when the change it records does. */
export async function appendAuditInTx(tx: Tx, input: AuditInput, at = new Date()): Promise<void> {
  // Held until the transaction ends, so two appends never claim the same predecessor.
  await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AUDIT_LOCK_ID);
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS;
  const entry = { at, actor: input.actor, action: input.action, target: input.target ?? null, details: input.details ?? {} };
  await tx.auditEntry.create({
    data: { ...entry, details: entry.details as Prisma.InputJsonValue, prevHash, hash: entryHash(prevHash, entry) },
  });
}

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; seq: string; reason: string };

/** Walks the chain in order; the first entry whose links or hash do not hold is named. */
export async function verifyAudit(prisma: PrismaClient, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS;
  let prevSeq = 0n;
  let entries = 0;
  for (;;) {
    const page = await prisma.auditEntry.findMany({ where: { seq: { gt: prevSeq } }, orderBy: { seq: 'asc' }, take: pageSize });
    for (const e of page) {
      if (e.prevHash !== prevHash) {
        const reason = entries === 0 ? 'the first entry does not start the chain' : `it does not follow entry #${prevSeq} (an entry before it was removed or altered)`;
        return { ok: false, entries, seq: e.seq.toString(), reason };
      }
      if (entryHash(e.prevHash, e) !== e.hash) return { ok: false, entries, seq: e.seq.toString(), reason: 'its content does not match its hash (altered)' };
      prevHash = e.hash;
      prevSeq = e.seq;
      entries++;
    }
    if (page.length < pageSize) return { ok: true, entries };
  }
}
