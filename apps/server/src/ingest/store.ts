import type { Prisma } from '../generated/prisma/client';
import type { FactDiff } from './diff';

/**
 * Bulk writes of one ingest, as set-based SQL (one `INSERT ... SELECT FROM unnest(...)`
 * per table) inside the caller's transaction: row-by-row inserts are many times slower at
 * fleet scale. JSON values travel as text and are cast to jsonb in the database.
 */
type Tx = Prisma.TransactionClient;

const json = (v: unknown) => JSON.stringify(v ?? null);

export async function insertFactChanges(tx: Tx, hostId: string, seq: number, diffs: FactDiff[], observedAt: Date, receivedAt: Date): Promise<void> {
  if (!diffs.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO fact_changes (host_id, seq, fact, path, op, before, after, observed_at, received_at)
     SELECT $1::uuid, $2::bigint, f, p, o, b::jsonb, a::jsonb, $3::timestamptz, $4::timestamptz
     FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(f, p, o, b, a)`,
    hostId,
    seq,
    observedAt,
    receivedAt,
    diffs.map((d) => d.fact),
    diffs.map((d) => d.path),
    diffs.map((d) => d.op),
    diffs.map((d) => json(d.before)),
    diffs.map((d) => json(d.after)),
  );
}

export interface ResultRow {
  ruleId: string;
  status: string;
  severity: string;
  sectionId: string;
  evidence: unknown;
  firstFailedAt: Date | null;
}

export async function upsertResults(tx: Tx, hostId: string, rows: ResultRow[], changedAt: Date): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO rule_results (host_id, rule_id, status, severity, section_id, evidence, first_failed_at, changed_at)
     SELECT $1::uuid, r, s, v, sec, e::jsonb, ff, $2::timestamptz
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[]) AS t(r, s, v, sec, e, ff)
     ON CONFLICT (host_id, rule_id) DO UPDATE SET status = EXCLUDED.status, severity = EXCLUDED.severity,
       section_id = EXCLUDED.section_id, evidence = EXCLUDED.evidence, first_failed_at = EXCLUDED.first_failed_at,
       changed_at = EXCLUDED.changed_at`,
    hostId,
    changedAt,
    rows.map((r) => r.ruleId),
    rows.map((r) => r.status),
    rows.map((r) => r.severity),
    rows.map((r) => r.sectionId),
    rows.map((r) => json(r.evidence)),
    rows.map((r) => r.firstFailedAt),
  );
}

export async function deleteResults(tx: Tx, hostId: string, ruleIds: string[]): Promise<void> {
  if (!ruleIds.length) return;
  await tx.$executeRawUnsafe('DELETE FROM rule_results WHERE host_id = $1::uuid AND rule_id = ANY($2::text[])', hostId, ruleIds);
}

export interface ResultChangeRow {
  ruleId: string;
  before: string | null;
  after: string;
  evidence: unknown;
}

export async function insertResultChanges(tx: Tx, hostId: string, rows: ResultChangeRow[], observedAt: Date, receivedAt: Date): Promise<void> {
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
    rows.map((r) => json(r.evidence)),
  );
}

export interface DriftRow {
  kind: 'fact' | 'compliance' | 'baseline';
  severity: string;
  ruleId: string | null;
  path: string | null;
  direction: 'regression' | 'fix' | 'change';
  before: unknown;
  after: unknown;
}

export async function insertDrift(tx: Tx, hostId: string, rows: DriftRow[], observedAt: Date, receivedAt: Date): Promise<void> {
  if (!rows.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO drift_events (host_id, kind, severity, rule_id, path, direction, before, after, observed_at, received_at)
     SELECT $1::uuid, k, s, r, p, d, b::jsonb, a::jsonb, $2::timestamptz, $3::timestamptz
     FROM unnest($4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[]) AS t(k, s, r, p, d, b, a)`,
    hostId,
    observedAt,
    receivedAt,
    rows.map((r) => r.kind),
    rows.map((r) => r.severity),
    rows.map((r) => r.ruleId),
    rows.map((r) => r.path),
    rows.map((r) => r.direction),
    rows.map((r) => json(r.before)),
    rows.map((r) => json(r.after)),
  );
}

/** Adds per-rule fail/pass deltas to the running counts the summary reads. */
export async function bumpRuleStats(tx: Tx, deltas: Map<string, { fail: number; pass: number }>): Promise<void> {
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
