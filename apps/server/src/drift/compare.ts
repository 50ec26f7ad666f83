import { hash } from 'node:crypto';
import type { Result } from '@plumbline/benchmarks/engine';
import type { FactDriftEvent } from './events';
import type { ResultChangeRow, ResultRow, StoredVerdict } from '../results/repository';
import type { DriftRow } from './repository';

/**
 * What a verdict's evidence is compared by, from one ingest to the next: a digest of its
 * JSON text. The engine builds evidence the same way each time, so equal evidence gives
 * equal text. (The stored jsonb comes back with its keys reordered, and reading every rule's
 * evidence back, 32 KB for 187 rules, was half of what each ingest's locked read returned.)
 */
export const evidenceDigest = (evidenceJson: string): string => hash('sha1', evidenceJson, 'base64');

export interface Comparison {
  /** Results whose status or evidence changed, to upsert. */
  upserts: ResultRow[];
  /** Rules no longer evaluated for this host (policy changed). */
  removed: string[];
  changes: ResultChangeRow[];
  drift: DriftRow[];
  stats: Map<string, { fail: number; pass: number }>;
}

/** How much a change to a fact matters in the drift feed. */
export const FACT_SEVERITY: Record<string, string> = {
  listening_sockets: 'high',
  users: 'high',
  groups: 'high',
  sudo: 'high',
  sshd_config: 'medium',
  firewall: 'medium',
  mac: 'medium',
  sysctl: 'medium',
  kernel_modules: 'medium',
  services: 'medium',
  pam: 'medium',
  password_policy: 'medium',
  audit: 'medium',
};

const statKey = (status: string | undefined) => ({ fail: status === 'fail' ? 1 : 0, pass: status === 'pass' ? 1 : 0 });

/**
 * What an evaluation changes against the stored verdicts: rows to write, history, drift
 * events and the per-rule counters. The first evaluation of a host is its starting point:
 * it is recorded in the history (reports replay it) but raises no drift.
 */
export function compareResults(
  stored: Map<string, StoredVerdict>,
  results: Result[],
  /** Fact drift of this message (`factDriftEvents`): one event per changed setting. */
  factDrift: FactDriftEvent[],
  observedAt: Date,
  /** The ids of every rule of the policy (those judged and those whose verdicts stand): a stored verdict of any other is removed. */
  selected: ReadonlySet<string>,
  /** The host's first evaluation (no verdict stored): no drift. `stored` may hold only the verdicts of the rules judged. */
  first = stored.size === 0,
): Comparison {
  const out: Comparison = { upserts: [], removed: [], changes: [], drift: [], stats: new Map() };
  const bump = (ruleId: string, before: string | undefined, after: string | undefined) => {
    const b = statKey(before);
    const a = statKey(after);
    if (a.fail === b.fail && a.pass === b.pass) return;
    const cur = out.stats.get(ruleId) ?? { fail: 0, pass: 0 };
    out.stats.set(ruleId, { fail: cur.fail + a.fail - b.fail, pass: cur.pass + a.pass - b.pass });
  };
  for (const r of results) {
    const prev = stored.get(r.ruleId);
    const statusChanged = prev?.status !== r.status;
    const firstFailedAt = r.status === 'fail' ? (prev?.status === 'fail' ? prev.firstFailedAt : observedAt) : null;
    const evidenceJson = JSON.stringify(r.evidence ?? null);
    const digest = evidenceDigest(evidenceJson);
    if (statusChanged || prev?.evidenceDigest !== digest) {
      out.upserts.push({
        ruleId: r.ruleId,
        status: r.status,
        severity: r.severity,
        sectionId: r.section.id,
        evidenceJson,
        evidenceDigest: digest,
        firstFailedAt,
      });
    }
    if (!statusChanged) continue;
    out.changes.push({ ruleId: r.ruleId, before: prev?.status ?? null, after: r.status, evidenceJson });
    bump(r.ruleId, prev?.status, r.status);
    if (first || !prev) continue;
    const direction = r.status === 'fail' ? 'regression' : prev.status === 'fail' && r.status === 'pass' ? 'improvement' : 'change';
    out.drift.push({
      kind: 'compliance',
      severity: r.severity,
      ruleId: r.ruleId,
      path: null,
      direction,
      before: prev.status,
      after: r.status,
    });
  }
  for (const [ruleId, prev] of stored) {
    if (selected.has(ruleId)) continue;
    out.removed.push(ruleId);
    bump(ruleId, prev.status, undefined);
  }
  if (!first) {
    for (const d of factDrift) {
      out.drift.push({
        kind: 'fact',
        severity: FACT_SEVERITY[d.fact] ?? 'low',
        ruleId: null,
        path: d.path,
        keys: d.keys,
        label: d.label,
        direction: 'change',
        before: d.before,
        after: d.after,
      });
    }
  }
  return out;
}
