import { json, type Writer } from '../db/write-batch';

export interface DriftRow {
  kind: 'fact' | 'compliance' | 'baseline' | 'identity';
  severity: string;
  ruleId: string | null;
  path: string | null;
  direction: 'regression' | 'fix' | 'change';
  before: unknown;
  after: unknown;
}

export async function insertDrift(tx: Writer, hostId: string, rows: DriftRow[], observedAt: Date, receivedAt: Date): Promise<void> {
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
