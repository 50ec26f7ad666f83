import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledContent } from '@plumbline/benchmarks/content';
import { evaluate, evaluateLoading, evaluateTracked } from '@plumbline/benchmarks/engine';
import type { FactSet } from '@plumbline/protocol/facts';
import { collectFacts } from '../src/collectors/index';
import { copyFixtureTree } from './support/host-trees';

/**
 * The server judges again only the rules that read a fact that changed. Whatever the two
 * fact sets, that must give exactly what judging every rule gives: the same verdicts, the
 * same evidence, and the same record of what each rule reads.
 */
const hosts = ['debian12-default', 'debian12-hardened', 'ubuntu-2204', 'ubuntu-2404', 'rhel9', 'edge-mqtt'];
const rules = bundledContent().rules;
const copies = mkdtempSync(path.join(tmpdir(), 'plumbline-incremental-'));
const collected: FactSet[] = [];
let names: string[] = [];

beforeAll(async () => {
  for (const host of hosts) {
    collected.push(await collectFacts({ root: copyFixtureTree(host, copies), live: false, log: pino({ level: 'silent' }) }));
  }
  names = [...new Set(collected.flatMap((f) => Object.keys(f.facts)))].sort();
}, 60_000);
afterAll(() => rmSync(copies, { recursive: true, force: true }));

/** A host's facts: each top-level fact from one of the fixture hosts, some failed to collect, some not collected. */
const factSet = fc.record({
  from: fc.array(fc.nat({ max: hosts.length - 1 }), { minLength: 16, maxLength: 16 }),
  state: fc.array(fc.constantFrom('kept', 'kept', 'kept', 'kept', 'error', 'absent'), { minLength: 16, maxLength: 16 }),
});

function compose({ from, state }: { from: number[]; state: string[] }): FactSet {
  const out: FactSet = { facts: {}, errors: {} };
  names.forEach((name, i) => {
    const source = collected[from[i % from.length] as number] as FactSet;
    const s = state[i % state.length];
    const value = (source.facts as Record<string, unknown>)[name];
    const error = source.errors[name];
    if (s === 'error' || (value === undefined && error))
      out.errors[name] = error ?? { code: 'PLUMBLINE_ERR_READ', message: `${name} could not be read` };
    else if (s === 'kept' && value !== undefined) (out.facts as Record<string, unknown>)[name] = value;
  });
  return out;
}

function changedNames(a: FactSet, b: FactSet): Set<string> {
  const all = new Set([...Object.keys(a.facts), ...Object.keys(b.facts), ...Object.keys(a.errors), ...Object.keys(b.errors)]);
  const fa = a.facts as Record<string, unknown>;
  const fb = b.facts as Record<string, unknown>;
  return new Set([...all].filter((n) => !isDeepStrictEqual(fa[n], fb[n]) || !isDeepStrictEqual(a.errors[n], b.errors[n])));
}

const day = 86_400_000;
const clock = fc.integer({ min: Date.UTC(2020, 0, 1) / day, max: Date.UTC(2030, 0, 1) / day });

describe('judging only the rules whose facts changed', () => {
  it('gives what judging every rule gives, for any two fact sets of a host', () => {
    fc.assert(
      // Clocks from 2020 to 2030: the fixtures' password change dates fall in between.
      fc.property(factSet, factSet, clock, clock, (a, b, dayBefore, dayAfter) => {
        const before = compose(a);
        const after = compose(b);
        const ctxBefore = { now: new Date(dayBefore * day) };
        const ctxAfter = { now: new Date(dayAfter * day) };
        const first = evaluateTracked(rules, before, ctxBefore);
        expect(first.results).toEqual(evaluate(rules, before, ctxBefore));
        const next = evaluateTracked(rules, after, ctxAfter, {
          reads: first.reads,
          scheme: first.scheme,
          changed: changedNames(before, after),
        });
        const full = evaluateTracked(rules, after, ctxAfter);
        expect(next.results.map((r, i) => r ?? first.results[i])).toEqual(full.results);
        expect(next.reads).toEqual(full.reads);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the same with only some values at hand, loading what the rules read', async () => {
    await fc.assert(
      fc.asyncProperty(
        factSet,
        factSet,
        clock,
        fc.array(fc.boolean(), { minLength: 32, maxLength: 32 }),
        fc.boolean(),
        async (a, b, today, atHand, incremental) => {
          const before = compose(a);
          const after = compose(b);
          const ctx = { now: new Date(today * day) };
          const first = evaluateTracked(rules, before, ctx);
          const since = incremental ? { reads: first.reads, scheme: first.scheme, changed: changedNames(before, after) } : undefined;
          // The server holds the errors and some of the values; the rest come when asked for.
          const all = after.facts as Record<string, unknown>;
          const partial: Record<string, unknown> = {};
          names.forEach((n, i) => atHand[i % atHand.length] && n in all && (partial[n] = all[n]));
          let loads = 0;
          const load = async (wanted: ReadonlySet<string> | 'all') => {
            loads++;
            const missing = (wanted === 'all' ? Object.keys(all) : [...wanted]).filter((n) => n in all && !(n in partial));
            for (const n of missing) partial[n] = all[n];
            return missing.length > 0;
          };
          const got = await evaluateLoading(rules, { facts: partial as FactSet['facts'], errors: after.errors }, ctx, since, load);
          const want = evaluateTracked(rules, after, ctx, since);
          expect(got.results).toEqual(want.results);
          expect(got.reads).toEqual(want.reads);
          expect(loads).toBeLessThan(8);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('judges again only the rules that read the changed fact, or the clock', () => {
    const before = collected[1] as FactSet;
    const sysctl = structuredClone(before.facts.sysctl) as Record<string, unknown>;
    const after: FactSet = {
      facts: { ...before.facts, sysctl: { ...sysctl, changed: true } } as unknown as FactSet['facts'],
      errors: before.errors,
    };
    const ctx = { now: new Date(Date.UTC(2026, 0, 1)) };
    const first = evaluateTracked(rules, before, ctx);
    const next = evaluateTracked(rules, after, ctx, { reads: first.reads, scheme: first.scheme, changed: new Set(['sysctl']) });
    const judged = rules.filter((_, i) => next.results[i] !== undefined);
    expect(judged.length).toBeGreaterThan(0);
    expect(judged.length).toBeLessThan(rules.length / 2);
    for (const [i, rule] of rules.entries()) {
      const reads = first.reads[i] as string[];
      expect([rule.id, next.results[i] !== undefined]).toEqual([
        rule.id,
        reads.includes('sysctl') || reads.includes('$now') || reads.includes('*'),
      ]);
    }
  });
});
