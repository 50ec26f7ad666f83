import type { Tx, Writer } from '../db/write-batch';
import type { PrismaClient } from '../generated/prisma/client';

/** Verdicts, their changes and the per-rule counts, as an ingest reads and writes them. */
/** A verdict as an ingest compares it: the evidence by its digest (see `evidenceDigest`). */
export interface StoredVerdict {
  status: string;
  firstFailedAt: Date | null;
  evidenceDigest: string | null;
}

/** The host's stored verdicts (lockHost reads them too, for an ingest). */
export async function storedVerdicts(tx: Tx, hostId: string): Promise<Map<string, StoredVerdict>> {
  const rows = await tx.$queryRawUnsafe<
    Array<{ rule_id: string; status: string; first_failed_at: Date | string | null; evidence_digest: string | null }>
  >('SELECT rule_id, status, first_failed_at, evidence_digest FROM rule_results WHERE host_id = $1::uuid', hostId);
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

export async function upsertResults(tx: Writer, hostId: string, rows: ResultRow[], changedAt: Date): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO rule_results (host_id, rule_id, status, severity, section_id, evidence, evidence_digest, first_failed_at, changed_at)
     SELECT $1::uuid, r, s, v, sec, e::jsonb, ed, ff, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::timestamptz[]) AS t(r, s, v, sec, e, ed, ff)
     ON CONFLICT (host_id, rule_id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
       section_id = EXCLUDED.section_id, evidence = EXCLUDED.evidence, evidence_digest = EXCLUDED.evidence_digest,
       first_failed_at = EXCLUDED.first_failed_at, changed_at = EXCLUDED.changed_at`,
    hostId,
    changedAt,
    rows.map((r) => r.ruleId),
    rows.map((r) => r.status),
    rows.map((r) => r.severity),
    rows.map((r) => r.sectionId),
    rows.map((r) => r.evidenceJson),
    rows.map((r) => r.evidenceDigest),
    rows.map((r) => r.firstFailedAt),
  );
}

export async function deleteResults(tx: Writer, hostId: string, ruleIds: string[]): Promise<void> {
  if (!ruleIds.length) return;
  await tx.$executeRawUnsafe('DELETE FROM rule_results WHERE host_id = $1::uuid AND rule_id = ANY($2::text[])', hostId, ruleIds);
}

export interface ResultChangeRow {
  ruleId: string;
  before: string | null;
  after: string;
  /** The evidence as JSON text. */
  evidenceJson: string;
}

export async function insertResultChanges(
  tx: Writer,
  hostId: string,
  rows: ResultChangeRow[],
  observedAt: Date,
  receivedAt: Date,
): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO result_changes (host_id, rule_id, before, after, evidence, observed_at, received_at)
     SELECT $1::uuid, r, b, a, e::jsonb, $2::timestamptz, $3::timestamptz
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) AS t(r, b, a, e)`,
    hostId,
    observedAt,
    receivedAt,
    rows.map((r) => r.ruleId),
    rows.map((r) => r.before),
    rows.map((r) => r.after),
    rows.map((r) => r.evidenceJson),
  );
}

/** Adds per-rule fail/pass deltas to the running counts the summary reads. */
export async function bumpRuleStats(tx: Writer, deltas: Map<string, { fail: number; pass: number }>): Promise<void> {
  // Sorted: concurrent ingests then lock the shared rows in one order and cannot deadlock.
  const rows = [...deltas].filter(([, d]) => d.fail || d.pass).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO rule_stats (rule_id, fail_count, pass_count)
     SELECT r, f, p FROM unnest($1::text[], $2::int[], $3::int[]) AS t(r, f, p)
     ON CONFLICT (rule_id) DO UPDATE SET fail_count = rule_stats.fail_count + EXCLUDED.fail_count,
       pass_count = rule_stats.pass_count + EXCLUDED.pass_count`,
    rows.map(([r]) => r),
    rows.map(([, d]) => d.fail),
    rows.map(([, d]) => d.pass),
  );
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
