import type { DriftQuery } from '@plumbline/protocol/api';
import type { z } from 'zod';
import type { PrismaClient } from '../generated/prisma/client';
import { json, jsonbColumn, jsonTexts, type BulkWrite, type WriteBatch } from '../db/write-batch';
import { likePattern } from '../db/like';

export interface DriftRow {
  kind: 'fact' | 'compliance' | 'baseline' | 'identity';
  severity: string;
  ruleId: string | null;
  path: string | null;
  direction: 'regression' | 'improvement' | 'change';
  before: unknown;
  after: unknown;
  /** What changed, for a person (`PermitRootLogin`); null for compliance (the rule names it). */
  label?: string | null;
  /** The change departs from the host's approved baseline, or comes back to it. */
  baseline?: 'differs' | 'restored' | null;
  /** Fact drift: the keys of `path` (not stored; keys may hold dots). */
  keys?: string[];
}

const DRIFT: BulkWrite<DriftRow & { hostId: string; observedAt: Date; receivedAt: Date }> = {
  name: 'drift_events',
  statement: (rows) => ({
    sql: `INSERT INTO drift_events (host_id, kind, severity, rule_id, path, direction, before, after, label, baseline, observed_at, received_at)
     SELECT h, k, s, r, p, d, b, a, l, bl, o, rc
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], ${jsonbColumn('$7')}, ${jsonbColumn('$8')}, $9::text[], $10::text[],
                 $11::timestamptz[], $12::timestamptz[]) AS t(h, k, s, r, p, d, b, a, l, bl, o, rc)`,
    values: [
      rows.map((r) => r.hostId),
      rows.map((r) => r.kind),
      rows.map((r) => r.severity),
      rows.map((r) => r.ruleId),
      rows.map((r) => r.path),
      rows.map((r) => r.direction),
      jsonTexts(rows.map((r) => json(r.before))),
      jsonTexts(rows.map((r) => json(r.after))),
      rows.map((r) => r.label ?? null),
      rows.map((r) => r.baseline ?? null),
      rows.map((r) => r.observedAt),
      rows.map((r) => r.receivedAt),
    ],
  }),
};

export function insertDrift(batch: WriteBatch, hostId: string, rows: DriftRow[], observedAt: Date, receivedAt: Date): void {
  batch.add(
    DRIFT,
    rows.map((r) => ({ ...r, hostId, observedAt, receivedAt })),
  );
}

/** A drift event as the feed reads it. */
export interface DriftEventRow {
  id: bigint;
  hostId: string;
  hostname: string;
  group: string | null;
  kind: string;
  severity: string;
  ruleId: string | null;
  path: string | null;
  label: string | null;
  direction: string;
  baseline: string | null;
  before: unknown;
  after: unknown;
  observedAt: Date;
  receivedAt: Date;
  firstFailedAt: Date | null;
}

export type DriftFilter = Omit<z.infer<typeof DriftQuery>, 'limit' | 'offset' | 'format'> & {
  /** A group-scoped caller sees its group only, whatever it filters on. */
  scope: string | null;
  /** Rules whose title matches `q` (the titles live in the rule content, not the database). */
  titleMatches?: string[];
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `%` and `_` in the search text are meant literally. */

function whereOf(f: DriftFilter): { sql: string; values: unknown[] } {
  const values: unknown[] = [];
  const and: string[] = [];
  const p = (v: unknown) => {
    values.push(v);
    return `$${values.length}`;
  };
  if (f.host) and.push(UUID.test(f.host) ? `e.host_id = ${p(f.host)}::uuid` : `h.hostname = ${p(f.host)}`);
  if (f.group) and.push(`h.group_name = ${p(f.group)}`);
  if (f.scope !== null) and.push(`h.group_name = ${p(f.scope)}`);
  if (f.kind) and.push(`e.kind = ${p(f.kind)}`);
  if (f.severity) and.push(`e.severity = ${p(f.severity)}`);
  // Rows stored before `improvement` had its name said `fix`.
  if (f.direction) and.push(f.direction === 'improvement' ? `e.direction IN ('improvement', 'fix')` : `e.direction = ${p(f.direction)}`);
  if (f.baseline) and.push(`e.baseline = ${p(f.baseline)}`);
  if (f.since) and.push(`e.observed_at >= ${p(new Date(f.since))}::timestamptz`);
  if (f.until) and.push(`e.observed_at < ${p(new Date(f.until))}::timestamptz`);
  if (f.q) {
    const like = p(likePattern(f.q));
    const fields = ['h.hostname', 'e.path', 'e.label', 'e.rule_id', 'e.before::text', 'e.after::text'].map((c) => `${c} ILIKE ${like}`);
    if (f.titleMatches?.length) fields.push(`e.rule_id = ANY(${p(f.titleMatches)}::text[])`);
    and.push(`(${fields.join(' OR ')})`);
  }
  return { sql: and.length ? `WHERE ${and.join(' AND ')}` : '', values };
}

/**
 * One page of drift events, newest first, with the time each compliance event's failing
 * streak began (the latest change of its rule on its host to `fail`, up to the event: read
 * from the verdict history, so ingest writes nothing more).
 */
export async function listDrift(
  prisma: PrismaClient,
  filter: DriftFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: DriftEventRow[]; total: number }> {
  const { sql, values } = whereOf(filter);
  const n = values.length;
  const [rows, count] = await Promise.all([
    prisma.$queryRawUnsafe<Array<Record<string, unknown>>>(
      `SELECT e.id, e.host_id, h.hostname, h.group_name, e.kind, e.severity, e.rule_id, e.path, e.label, e.direction, e.baseline,
              e.before, e.after, e.observed_at, e.received_at,
              CASE WHEN e.kind = 'compliance' AND e.rule_id IS NOT NULL AND (e.before = '"fail"'::jsonb OR e.after = '"fail"'::jsonb) THEN
                (SELECT max(c.observed_at) FROM result_changes c
                  WHERE c.host_id = e.host_id AND c.rule_id = e.rule_id AND c.after = 'fail' AND c.observed_at <= e.observed_at)
              END AS first_failed_at
       FROM drift_events e JOIN hosts h ON h.id = e.host_id
       ${sql}
       ORDER BY e.observed_at DESC, e.id DESC
       LIMIT $${n + 1} OFFSET $${n + 2}`,
      ...values,
      page.limit,
      page.offset,
    ),
    prisma.$queryRawUnsafe<Array<{ total: bigint }>>(
      `SELECT count(*) AS total FROM drift_events e JOIN hosts h ON h.id = e.host_id ${sql}`,
      ...values,
    ),
  ]);
  return {
    total: Number(count[0]?.total ?? 0),
    rows: rows.map((r) => ({
      id: BigInt(r.id as bigint),
      hostId: r.host_id as string,
      hostname: r.hostname as string,
      group: r.group_name as string | null,
      kind: r.kind as string,
      severity: r.severity as string,
      ruleId: r.rule_id as string | null,
      path: r.path as string | null,
      label: r.label as string | null,
      direction: r.direction as string,
      baseline: r.baseline as string | null,
      before: r.before,
      after: r.after,
      observedAt: new Date(r.observed_at as Date),
      receivedAt: new Date(r.received_at as Date),
      firstFailedAt: r.first_failed_at ? new Date(r.first_failed_at as Date) : null,
    })),
  };
}
