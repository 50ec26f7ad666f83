import type { Tx } from '../db/write-batch';
import type { DriftRow } from '../drift/repository';
import { baselineMarks } from './compare';
import { effectiveBaseline } from './repository';

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
