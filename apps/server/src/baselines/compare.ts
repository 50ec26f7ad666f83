import { diffFacts, type FactDiff } from '../drift/fact-diff';
import { samePlace } from '../drift/events';
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

/** The value at a path given as keys (exact, where `valueAt` guesses keys with dots). */
function valueAtKeys(root: unknown, keys: string[]): unknown {
  let v = root;
  for (const k of keys) {
    if (!isObject(v)) return undefined;
    v = v[k];
  }
  return v;
}

/**
 * Marks the drift of one ingest against the baseline, in place: `differs` when a changed
 * setting, list item or verdict departs from the approved one, `restored` when it comes back
 * to it. A value that already differed and changes to another differing value is fact drift
 * only. Positions (line numbers, order) do not count, as in fact drift itself. The baseline
 * difference is a mark on the event, never an event of its own.
 */
export function baselineMarks(baseline: BaselineState, drift: DriftRow[]): void {
  for (const d of drift) {
    let departed: boolean | null = null;
    if (d.kind === 'compliance' && d.ruleId) {
      const approved = baseline.verdicts[d.ruleId] ?? null;
      const was = d.before !== approved;
      const is = d.after !== approved;
      if (was !== is) departed = is;
    } else if (d.kind === 'fact' && d.path) {
      const approved = d.keys ? valueAtKeys(baseline.facts, d.keys) : valueAt(baseline.facts, d.path);
      const element = Array.isArray(approved) && !Array.isArray(d.before ?? d.after);
      if (element) {
        // One item of a list compared as a set (a listening socket): is it in the approved list?
        const item = d.before === null ? d.after : d.before;
        const inBaseline = approved.some((x) => samePlace(x, item));
        departed = d.before === null ? !inBaseline : inBaseline;
      } else {
        const was = !samePlace(d.before, approved);
        const is = !samePlace(d.after, approved);
        if (was !== is) departed = is;
      }
    }
    if (departed !== null) d.baseline = departed ? 'differs' : 'restored';
  }
}
