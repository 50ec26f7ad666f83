import type { Tx } from '../db/write-batch';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import { appendAuditInTx } from '../audit/repository';
import { takeEnrollmentUse } from '../enrollment/agent-auth';

/**
 * What the ingest reads and writes outside the set-based writes of the host, result and
 * drift repositories: its transactions, the head a digest is checked against, a host's row
 * at hello and enrollment, and going offline.
 */

/** Under a burst, wait for a pooled connection rather than failing the agent after Prisma's 2 s default. */
const INGEST_TX = { maxWait: 15_000, timeout: 30_000 };

/** Runs `work` in one transaction (an ingest batch, an evaluation, a rescore). */
export function ingestTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>): Promise<T> {
  return prisma.$transaction(work, INGEST_TX);
}

/** The sequence number and facts digest a digest message is checked against; null when the host is gone. */
export async function hostHead(prisma: PrismaClient, hostId: string): Promise<{ lastSeq: number; factsDigest: string | null } | null> {
  const head = await prisma.host.findUnique({ where: { id: hostId }, select: { lastSeq: true, factsDigest: true } });
  return head && { lastSeq: Number(head.lastSeq), factsDigest: head.factsDigest };
}

/**
 * Stores many hosts' digests in one statement: each host whose stored facts digest is the
 * digest sent and whose sequence is behind takes the new sequence and is seen now. Returns the
 * hosts stored; the others (a replay, a digest that differs, a host gone) are for the caller
 * to check one by one.
 */
export async function storeDigests(
  prisma: PrismaClient,
  digests: { hostId: string; seq: number; digest: string; now: Date }[],
): Promise<Set<string>> {
  if (!digests.length) return new Set();
  const rows = await prisma.$queryRawUnsafe<{ id: string }[]>(
    `UPDATE hosts h SET last_seq = d.seq, last_seen_at = d.seen, connected = true
       FROM unnest($1::uuid[], $2::bigint[], $3::text[], $4::timestamptz[]) AS d(id, seq, digest, seen)
      WHERE h.id = d.id AND h.last_seq < d.seq AND h.facts_digest = d.digest
      RETURNING h.id::text AS id`,
    digests.map((d) => d.hostId),
    digests.map((d) => String(d.seq)),
    digests.map((d) => d.digest),
    digests.map((d) => d.now.toISOString()),
  );
  return new Set(rows.map((r) => r.id));
}

/** Stores a digest's sequence number; conditional, as a second socket of the same agent may have stored a later one meanwhile. */
export async function storeDigestSeq(prisma: PrismaClient, hostId: string, seq: number, now: Date): Promise<void> {
  await prisma.host.updateMany({ where: { id: hostId, lastSeq: { lt: seq } }, data: { lastSeq: seq, lastSeenAt: now, connected: true } });
}

/** What a hello updates on a known host. */
export type HelloColumns = Pick<
  Prisma.HostUpdateInput,
  'clockSkewSeconds' | 'hostname' | 'machineId' | 'agentVersion' | 'intervalSeconds' | 'connected' | 'connectionId' | 'lastSeenAt'
>;

export function helloHost(prisma: PrismaClient, hostId: string, data: HelloColumns) {
  return prisma.host.update({
    where: { id: hostId },
    data,
    select: { id: true, hostname: true, lastSeq: true, factsDigest: true, lastSeenAt: true },
  });
}

/**
 * Creates the agent's credential and its host, takes one use of the enrollment token, and
 * records the enrollment in the audit trail, in one transaction: an enrollment that fails at
 * any step (a token used up, revoked or expired meanwhile; the audit append, which waits on
 * a lock every replica shares) leaves the token's use for the agent's retry, and no host
 * that no agent holds a credential for.
 *
 * The rows come first and the shared locks last. Every agent of a fleet enrolls with the same
 * token, and the token's row and the audit chain's lock are held until the commit: each
 * round trip made while holding them is one that every other enrollment waits for. (The
 * token's group cannot change, so the one read when the agent authenticated is the one the
 * use claims.)
 */
export function enrollHost(
  prisma: PrismaClient,
  token: { id: string; groupName: string | null },
  credential: { prefix: string; secretHash: string },
  host: Omit<Prisma.HostUncheckedCreateInput, 'credentialId' | 'groupName'>,
  now: Date,
) {
  return prisma.$transaction(async (tx) => {
    const created = await tx.agentCredential.create({ data: { ...credential, enrollmentTokenId: token.id } });
    const row = await tx.host.create({ data: { ...host, credentialId: created.id, groupName: token.groupName } });
    await takeEnrollmentUse(tx, token.id, now);
    await appendAuditInTx(tx, {
      actor: `agent:${row.id}`,
      action: 'agent.enroll',
      target: row.id,
      details: { hostname: row.hostname, tokenId: token.id, group: row.groupName },
    });
    return row;
  }, INGEST_TX);
}

/** An agent connection that ended: the host, and the id its hello stored (see Host.connectionId). */
export interface EndedConnection {
  hostId: string;
  connection: string;
}

/**
 * Marks hosts offline whose latest hello came on the connection that ended, in one statement;
 * returns those marked. A host whose agent said hello since on another connection (another
 * replica, when the old socket's end reached its replica late) stays online.
 */
export async function markHostsOffline(prisma: PrismaClient, ended: EndedConnection[]): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ id: string }>>(
    `UPDATE hosts AS h SET connected = false
       FROM unnest($1::uuid[], $2::text[]) AS e(id, connection)
      WHERE h.id = e.id AND h.connection_id = e.connection
      RETURNING h.id`,
    ended.map((e) => e.hostId),
    ended.map((e) => e.connection),
  );
  return rows.map((r) => r.id);
}

/** The groups of these hosts, each once (null: hosts without a group), for their policies to be built before a transaction. */
export async function hostGroups(prisma: PrismaClient, hostIds: string[]): Promise<Array<string | null>> {
  const rows = await prisma.host.findMany({ where: { id: { in: hostIds } }, select: { groupName: true }, distinct: ['groupName'] });
  return rows.map((r) => r.groupName);
}
