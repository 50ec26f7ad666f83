import type { Prisma } from '../generated/prisma/client';
import type { DriftRow } from '../drift/repository';
import { baselineMarks } from './compare';

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
 * The ingest hook: marks the drift of this message that departs from the host's effective
 * baseline (or returns to it), inside the ingest's transaction, before it is stored. Nothing
 * is read when no baseline applies.
 */
export async function markBaselineDrift(
  tx: Tx,
  host: { id: string; groupName: string | null },
  drift: DriftRow[],
  /** False when the caller already knows no baseline applies: nothing is read. */
  mayHaveBaseline = true,
): Promise<void> {
  if (!mayHaveBaseline || !drift.length) return;
  const facts = [...new Set(drift.flatMap((d) => (d.kind === 'fact' && d.path ? [d.keys?.[0] ?? d.path.split('.')[0]!] : [])))];
  const rules = drift.flatMap((d) => (d.kind === 'compliance' && d.ruleId ? [d.ruleId] : []));
  if (!facts.length && !rules.length) return;
  const baseline = await effectiveBaseline(tx, host.id, host.groupName, facts, rules);
  if (baseline) baselineMarks(baseline, drift);
}
