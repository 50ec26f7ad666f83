import { canonicalJson } from '@plumbline/protocol/digest';
import { diffFacts, type FactDiff } from '../drift/fact-diff';
import type { DriftRow } from '../drift/repository';

/** What a host is compared to: approved facts and verdicts ({ ruleId: status }). */
export interface BaselineState {
  facts: Record<string, unknown>;
  verdicts: Record<string, string>;
}

export interface VerdictDifference {
  ruleId: string;
  baseline: string | null;
  current: string | null;
}

const same = (a: unknown, b: unknown) => canonicalJson(a ?? null) === canonicalJson(b ?? null);
const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** Every difference between a baseline and a host's current state, fact paths as in fact changes. */
export function compareToBaseline(baseline: BaselineState, current: BaselineState): { facts: FactDiff[]; verdicts: VerdictDifference[] } {
  const verdicts: VerdictDifference[] = [];
  for (const ruleId of [...new Set([...Object.keys(baseline.verdicts), ...Object.keys(current.verdicts)])].sort()) {
    const b = baseline.verdicts[ruleId] ?? null;
    const c = current.verdicts[ruleId] ?? null;
    if (b !== c) verdicts.push({ ruleId, baseline: b, current: c });
  }
  return { facts: diffFacts(baseline.facts, current.facts), verdicts };
}

/**
 * The value at a fact-change path. Paths join keys with dots and keys may hold dots
 * themselves (sysctl names), so each step takes the key that matches the path's next
 * segments, longest first.
 */
export function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  if (!isObject(root)) return undefined;
  if (path in root) return root[path];
  const keys = Object.keys(root)
    .filter((k) => path.startsWith(`${k}.`))
    .sort((a, b) => b.length - a.length);
  for (const k of keys) {
    const v = valueAt(root[k], path.slice(k.length + 1));
    if (v !== undefined) return v;
  }
  return undefined;
}

/** How much a departure from the baseline matters: the rule's severity, or the fact's. */
export type FactSeverity = (fact: string) => string;

/**
 * Baseline drift of one ingest, from the fact paths and verdicts that changed in it only:
 * an event when a path or a verdict departs from the baseline (`regression`) or comes back
 * to it (`fix`). A value that already differed and changes to another differing value is
 * fact drift, not a new departure. `before` is the baseline's value, `after` the current one.
 */
export function baselineTransitions(
  baseline: BaselineState,
  current: Record<string, unknown>,
  diffs: FactDiff[],
  verdictChanges: Array<{ ruleId: string; severity: string; before: string | null; after: string }>,
  factSeverity: FactSeverity,
): DriftRow[] {
  const out: DriftRow[] = [];
  const push = (departed: boolean, row: Omit<DriftRow, 'kind' | 'direction'>) =>
    out.push({ kind: 'baseline', direction: departed ? 'regression' : 'fix', ...row });
  for (const d of diffs) {
    const now = valueAt(current, d.path);
    const element = Array.isArray(now) && d.op !== 'replace' && !Array.isArray(d.op === 'add' ? d.after : d.before);
    const approved = valueAt(baseline.facts, d.path);
    if (element) {
      // One item of a list compared as a set (a listening socket): is it in the approved list?
      const item = d.op === 'add' ? d.after : d.before;
      const inBaseline = Array.isArray(approved) && approved.some((x) => same(x, item));
      const departed = d.op === 'add' ? !inBaseline : inBaseline;
      push(departed, {
        severity: factSeverity(d.fact),
        ruleId: null,
        path: d.path,
        before: inBaseline ? item : null,
        after: d.op === 'add' ? item : null,
      });
      continue;
    }
    const wasDifferent = !same(d.before, approved);
    const isDifferent = !same(d.after, approved);
    if (wasDifferent === isDifferent) continue;
    push(isDifferent, { severity: factSeverity(d.fact), ruleId: null, path: d.path, before: approved ?? null, after: d.after ?? null });
  }
  for (const v of verdictChanges) {
    const approved = baseline.verdicts[v.ruleId] ?? null;
    const wasDifferent = v.before !== approved;
    const isDifferent = v.after !== approved;
    if (wasDifferent === isDifferent) continue;
    push(isDifferent, { severity: v.severity, ruleId: v.ruleId, path: null, before: approved, after: v.after });
  }
  return out;
}
