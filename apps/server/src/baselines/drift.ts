import type { Prisma } from '../generated/prisma/client';
import { FACT_SEVERITY } from '../drift/compare';
import type { FactDiff } from '../drift/fact-diff';
import { insertDrift, type DriftRow } from '../drift/repository';
import { baselineTransitions } from './compare';

type Tx = Prisma.TransactionClient;

/**
 * The host's effective baseline, cut down to the facts and verdicts this ingest touched:
 * its own approved baseline, or else its group's golden host's. One query, and only the
 * changed top-level facts leave the database, not the whole approved copy.
 */
async function effectiveBaseline(tx: Tx, hostId: string, groupName: string | null, facts: string[], rules: string[]) {
  const rows = await tx.$queryRawUnsafe<Array<{ facts: Record<string, unknown> | null; verdicts: Record<string, string> | null }>>(
    `WITH b AS (
       SELECT facts, verdicts, 0 AS pref FROM host_baselines WHERE host_id = $1::uuid
       UNION ALL
       SELECT hb.facts, hb.verdicts, 1 FROM group_golden_hosts g JOIN host_baselines hb ON hb.host_id = g.host_id
       WHERE g.group_name = $2 AND g.host_id <> $1::uuid
       ORDER BY pref LIMIT 1
     )
     SELECT (SELECT jsonb_object_agg(key, value) FROM jsonb_each(b.facts) WHERE key = ANY($3::text[])) AS facts,
            (SELECT jsonb_object_agg(key, value) FROM jsonb_each_text(b.verdicts) WHERE key = ANY($4::text[])) AS verdicts
     FROM b`,
    hostId,
    groupName,
    facts,
    rules,
  );
  const row = rows[0];
  return row ? { facts: row.facts ?? {}, verdicts: row.verdicts ?? {} } : null;
}

/**
 * The ingest hook: records baseline drift for the fact paths and verdicts that changed in
 * this message, inside the ingest's transaction, and returns the rows for the live feed.
 * Nothing is read when nothing changed.
 */
export async function recordBaselineDrift(
  tx: Tx,
  host: { id: string; groupName: string | null },
  current: Record<string, unknown>,
  diffs: FactDiff[],
  drift: DriftRow[],
  observedAt: Date,
  receivedAt: Date,
  /** False when the caller already knows no baseline applies: nothing is read. */
  mayHaveBaseline = true,
): Promise<DriftRow[]> {
  if (!mayHaveBaseline) return [];
  const verdictChanges = drift.flatMap((d) =>
    d.kind === 'compliance' && d.ruleId
      ? [{ ruleId: d.ruleId, severity: d.severity, before: d.before as string | null, after: d.after as string }]
      : [],
  );
  if (!diffs.length && !verdictChanges.length) return [];
  const baseline = await effectiveBaseline(
    tx,
    host.id,
    host.groupName,
    [...new Set(diffs.map((d) => d.fact))],
    verdictChanges.map((v) => v.ruleId),
  );
  if (!baseline) return [];
  const rows = baselineTransitions(baseline, current, diffs, verdictChanges, (fact) => FACT_SEVERITY[fact] ?? 'low');
  await insertDrift(tx, host.id, rows, observedAt, receivedAt);
  return rows;
}
