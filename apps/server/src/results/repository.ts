import { jsonbColumn, jsonTexts, type BulkWrite, type Tx, type WriteBatch } from '../db/write-batch';
import type { PrismaClient } from '../generated/prisma/client';

/** Verdicts, their changes and the per-rule counts, as an ingest reads and writes them. */
/** A verdict as an ingest compares it: the evidence by its digest (see `evidenceDigest`). */
export interface StoredVerdict {
  status: string;
  firstFailedAt: Date | null;
  evidenceDigest: string | null;
}

/** The host's stored verdicts, or those of the named rules (lockHosts reads them too, for an ingest). */
export async function storedVerdicts(tx: Tx, hostId: string, ruleIds?: readonly string[]): Promise<Map<string, StoredVerdict>> {
  const rows = await tx.$queryRawUnsafe<
    Array<{ rule_id: string; status: string; first_failed_at: Date | string | null; evidence_digest: string | null }>
  >(
    `SELECT rule_id, status, first_failed_at, evidence_digest FROM rule_results WHERE host_id = $1::uuid${ruleIds ? ' AND rule_id = ANY($2::text[])' : ''}`,
    hostId,
    ...(ruleIds ? [ruleIds] : []),
  );
  return new Map(
    rows.map((r) => [
      r.rule_id,
      {
        status: r.status,
        firstFailedAt: r.first_failed_at === null ? null : new Date(r.first_failed_at),
        evidenceDigest: r.evidence_digest,
      },
    ]),
  );
}

export interface ResultRow {
  ruleId: string;
  status: string;
  severity: string;
  sectionId: string;
  /** The evidence as JSON text, and its digest. */
  evidenceJson: string;
  evidenceDigest: string;
  firstFailedAt: Date | null;
}

const RESULTS: BulkWrite<ResultRow & { hostId: string; changedAt: Date }> = {
  name: 'rule_results',
  statement: (rows) => ({
    sql: `INSERT INTO rule_results (host_id, rule_id, status, severity, section_id, evidence, evidence_digest, first_failed_at, changed_at)
     SELECT h, r, s, v, sec, e, ed, ff, ca
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], ${jsonbColumn('$6')}, $7::text[], $8::timestamptz[], $9::timestamptz[])
       AS t(h, r, s, v, sec, e, ed, ff, ca)
     ON CONFLICT (host_id, rule_id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
       section_id = EXCLUDED.section_id, evidence = EXCLUDED.evidence, evidence_digest = EXCLUDED.evidence_digest,
       first_failed_at = EXCLUDED.first_failed_at, changed_at = EXCLUDED.changed_at`,
    values: [
      rows.map((r) => r.hostId),
      rows.map((r) => r.ruleId),
      rows.map((r) => r.status),
      rows.map((r) => r.severity),
      rows.map((r) => r.sectionId),
      jsonTexts(rows.map((r) => r.evidenceJson)),
      rows.map((r) => r.evidenceDigest),
      rows.map((r) => r.firstFailedAt),
      rows.map((r) => r.changedAt),
    ],
  }),
};

/**
 * Stores verdicts. A host's verdicts revision must move on in the same transaction: the
 * evaluation sets the next one with the host row (`nextVerdictsRev`, `Evaluator.evaluateAndStore`);
 * without that, the database's trigger counts each row written. An ingest trusts the verdicts
 * it remembers only while the revision is the one it left.
 */
export function upsertResults(batch: WriteBatch, hostId: string, rows: ResultRow[], changedAt: Date): void {
  batch.add(
    RESULTS,
    rows.map((r) => ({ ...r, hostId, changedAt })),
  );
}

const RESULT_REMOVALS: BulkWrite<{ hostId: string; ruleId: string }> = {
  name: 'rule_results (removed)',
  statement: (rows) => ({
    sql: `DELETE FROM rule_results r USING unnest($1::uuid[], $2::text[]) AS t(h, id) WHERE r.host_id = t.h AND r.rule_id = t.id`,
    values: [rows.map((r) => r.hostId), rows.map((r) => r.ruleId)],
  }),
};

export function deleteResults(batch: WriteBatch, hostId: string, ruleIds: string[]): void {
  batch.add(
    RESULT_REMOVALS,
    ruleIds.map((ruleId) => ({ hostId, ruleId })),
  );
}

export interface ResultChangeRow {
  ruleId: string;
  before: string | null;
  after: string;
  /** The evidence as JSON text. */
  evidenceJson: string;
}

const RESULT_CHANGES: BulkWrite<ResultChangeRow & { hostId: string; observedAt: Date; receivedAt: Date }> = {
  name: 'result_changes',
  statement: (rows) => ({
    sql: `INSERT INTO result_changes (host_id, rule_id, before, after, evidence, observed_at, received_at)
     SELECT h, r, b, a, e, o, rc
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], ${jsonbColumn('$5')}, $6::timestamptz[], $7::timestamptz[]) AS t(h, r, b, a, e, o, rc)`,
    values: [
      rows.map((r) => r.hostId),
      rows.map((r) => r.ruleId),
      rows.map((r) => r.before),
      rows.map((r) => r.after),
      jsonTexts(rows.map((r) => r.evidenceJson)),
      rows.map((r) => r.observedAt),
      rows.map((r) => r.receivedAt),
    ],
  }),
};

export function insertResultChanges(batch: WriteBatch, hostId: string, rows: ResultChangeRow[], observedAt: Date, receivedAt: Date): void {
  batch.add(
    RESULT_CHANGES,
    rows.map((r) => ({ ...r, hostId, observedAt, receivedAt })),
  );
}

/** Per-rule deltas of a batch, summed per rule before they are written (a statement may touch a row once). */
const RULE_STATS: BulkWrite<{ ruleId: string; fail: number; pass: number }> = {
  name: 'rule_stats',
  statement(list) {
    const sums = new Map<string, { fail: number; pass: number }>();
    for (const { ruleId, fail, pass } of list) {
      const s = sums.get(ruleId) ?? { fail: 0, pass: 0 };
      s.fail += fail;
      s.pass += pass;
      sums.set(ruleId, s);
    }
    // Sorted: concurrent ingests then lock the shared rows in one order and cannot deadlock.
    const rows = [...sums].filter(([, d]) => d.fail || d.pass).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (!rows.length) return null;
    return {
      sql: `INSERT INTO rule_stats (rule_id, fail_count, pass_count)
     SELECT r, f, p FROM unnest($1::text[], $2::int[], $3::int[]) AS t(r, f, p)
     ON CONFLICT (rule_id) DO UPDATE SET fail_count = rule_stats.fail_count + EXCLUDED.fail_count,
       pass_count = rule_stats.pass_count + EXCLUDED.pass_count`,
      values: [rows.map(([r]) => r), rows.map(([, d]) => d.fail), rows.map(([, d]) => d.pass)],
    };
  },
};

/** Adds per-rule fail/pass deltas to the running counts the summary reads. */
export function bumpRuleStats(batch: WriteBatch, deltas: Map<string, { fail: number; pass: number }>): void {
  batch.add(
    RULE_STATS,
    [...deltas].map(([ruleId, d]) => ({ ruleId, ...d })),
  );
}

/** The rules failing on at least one host, with how many, most first (all of them without `limit`). */
export function failingRuleStats(prisma: PrismaClient, limit?: number) {
  return prisma.ruleStat.findMany({
    where: { failCount: { gt: 0 } },
    select: { ruleId: true, failCount: true },
    orderBy: [{ failCount: 'desc' }, { ruleId: 'asc' }],
    ...(limit !== undefined && { take: limit }),
  });
}

/** The hosts with a given verdict on a rule (within a group scope), longest failing first, with the host rows. */
export async function ruleHostsPage(
  prisma: PrismaClient,
  ruleId: string,
  status: string,
  scope: string | null,
  page: { offset: number; limit: number },
) {
  const where = { ruleId, status, ...(scope !== null && { host: { groupName: scope } }) };
  const [rows, total] = await Promise.all([
    prisma.ruleResult.findMany({
      where,
      include: { host: true },
      orderBy: [{ firstFailedAt: 'asc' }, { hostId: 'asc' }],
      skip: page.offset,
      take: page.limit,
    }),
    prisma.ruleResult.count({ where }),
  ]);
  return { rows, total };
}

/** Every stored verdict of one host, as the rule-by-rule comparisons read them. */
export function hostResultRows(prisma: PrismaClient, hostId: string) {
  return prisma.ruleResult.findMany({ where: { hostId } });
}
