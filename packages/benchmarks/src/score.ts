import { SEVERITY_WEIGHTS, type Waiver } from './schema';
import type { Result, Status } from './engine/types';

export { SEVERITY_WEIGHTS } from './schema';

/**
 * Score = sum(weight of passing rules) / sum(weight of passing + failing rules) * 100, with
 * weights low 1, medium 2, high 4, critical 8. `notapplicable` and `error` are counted but
 * never enter the ratio: an agent that could not look is not evidence either way. With
 * waivers, a waived failure counts as a pass in `withWaivers` only.
 */
export interface ScoreFigures {
  /** 0-100 with one decimal, or null when nothing passed or failed. */
  score: number | null;
  withWaivers: number | null;
  counts: Record<Status, number> & { waived: number; total: number };
  weight: { pass: number; fail: number; waived: number };
}

/**
 * The counts every page, API answer and report shows, from one definition: a partition of
 * the results, so the parts add up to the total. `fail` is failing and not waived, `waived`
 * failing under a waiver in force. (`ScoreFigures.counts.fail` counts every failure, waived
 * or not: the stored host counters keep that form; convert with this.)
 */
export interface ShownCounts {
  pass: number;
  fail: number;
  waived: number;
  notapplicable: number;
  error: number;
}

export function shownCounts(c: { pass: number; fail: number; waived: number; notapplicable: number; error: number }): ShownCounts {
  return { pass: c.pass, fail: c.fail - c.waived, waived: c.waived, notapplicable: c.notapplicable, error: c.error };
}

export interface SectionScore extends ScoreFigures {
  id: string;
  name: string;
}

export interface Score extends ScoreFigures {
  sections: SectionScore[];
}

export interface ScoreOptions {
  weights?: Record<string, number>;
}

function figures(
  results: readonly Result[],
  weights: Record<string, number>,
  waived: (r: Result) => boolean = (r) => Boolean(r.waived),
): ScoreFigures {
  const counts = { pass: 0, fail: 0, notapplicable: 0, error: 0, waived: 0, total: results.length };
  const weight = { pass: 0, fail: 0, waived: 0 };
  for (const r of results) {
    counts[r.status]++;
    const w = weights[r.severity] ?? 1;
    if (r.status === 'pass') weight.pass += w;
    if (r.status === 'fail') {
      weight.fail += w;
      if (waived(r)) {
        counts.waived++;
        weight.waived += w;
      }
    }
  }
  const denom = weight.pass + weight.fail;
  const pct = (n: number) => (denom === 0 ? null : Math.round((n / denom) * 1000) / 10);
  return { score: pct(weight.pass), withWaivers: pct(weight.pass + weight.waived), counts, weight };
}

/** Overall and per-section scores (sections in order of their ids: 1.2 before 1.10). */
export function score(results: readonly Result[], opts: ScoreOptions = {}): Score {
  const weights = opts.weights ?? SEVERITY_WEIGHTS;
  const bySection = new Map<string, { name: string; results: Result[] }>();
  for (const r of results) {
    const s = bySection.get(r.section.id) ?? { name: r.section.name, results: [] };
    s.results.push(r);
    bySection.set(r.section.id, s);
  }
  const sections = [...bySection.entries()]
    .sort(([a], [b]) => compareSectionIds(a, b))
    .map(([id, s]) => ({ id, name: s.name, ...figures(s.results, weights) }));
  return { ...figures(results, weights), sections };
}

/**
 * The overall figures of one host's results under its waivers: what `score(applyWaivers(...))`
 * gives without the sections, and without copying every result (ingest scores each message,
 * and those copies were a tenth of what a delta allocated).
 */
export function hostFigures(results: readonly Result[], waivers: readonly Waiver[], target: WaiverTarget, now: Date): ScoreFigures {
  return figures(results, SEVERITY_WEIGHTS, (r) => waiverFor(r, waivers, target, now) !== undefined);
}

export function compareSectionIds(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? -1) - (y[i] ?? -1);
    if (d) return d;
  }
  return 0;
}

export interface WaiverTarget {
  hostname: string;
  groups?: string[];
  tags?: string[];
}

function inScope(w: Waiver, t: WaiverTarget): boolean {
  const s = w.scope;
  if (!s || (!s.hosts && !s.groups && !s.tags)) return true;
  return Boolean(s.hosts?.includes(t.hostname) || s.groups?.some((g) => t.groups?.includes(g)) || s.tags?.some((g) => t.tags?.includes(g)));
}

/**
 * Marks failures covered by a live waiver. The raw status never changes, so the report still
 * shows what the host is; a waiver with expiresAt <= now is ignored, as if it never existed.
 */
export function applyWaivers(results: readonly Result[], waivers: readonly Waiver[], target: WaiverTarget, now: Date): Result[] {
  return results.map((r) => {
    const { waived: _w, waiver: _x, ...raw } = r;
    const w = waiverFor(r, waivers, target, now);
    return w ? { ...raw, waived: true, waiver: w } : raw;
  });
}

/** The live waiver that covers a failure, if any. */
function waiverFor(r: Result, waivers: readonly Waiver[], target: WaiverTarget, now: Date): Waiver | undefined {
  if (r.status !== 'fail') return undefined;
  return waivers.find((x) => x.ruleId === r.ruleId && x.expiresAt.getTime() > now.getTime() && inScope(x, target));
}
