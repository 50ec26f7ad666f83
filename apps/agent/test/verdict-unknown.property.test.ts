import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledContent } from '@plumbline/benchmarks/content';
import { evaluate, evaluateTracked } from '@plumbline/benchmarks/engine';
import type { Rule } from '@plumbline/benchmarks/schema';
import { factSchemas, type FactSet } from '@plumbline/protocol/facts';
import { collectFacts } from '../src/collectors/index';
import { copyFixtureTree, withTree } from './support/host-trees';

/**
 * An empty or unknowable fact never yields `pass`. For every rule, on every fixture host (real
 * fact sets, read from the trees as `scan --root` reads them, so what a tree cannot show, such as
 * running units, listeners or runtime sysctl values, is already unknown), each fact the rule reads
 * is in turn not collected, failed, or empty (what its collector reports on a tree that holds
 * none of its sources); the rule must then say `fail`, `error` or `notapplicable`, never `pass`.
 *
 * The base facts come from the collectors, so the test lives with the agent: the rules and the
 * engine under test are @plumbline/benchmarks'.
 */
const hosts = ['debian12-default', 'debian12-hardened', 'ubuntu-2204', 'ubuntu-2404', 'rhel9', 'edge-mqtt'];
const rules = bundledContent().rules;
const now = new Date('2026-11-22T00:00:00Z');
const copies = mkdtempSync(path.join(tmpdir(), 'plumbline-unknown-'));
const collected: FactSet[] = [];
/** A tree with nothing but its name and OS: every other collector finds none of its sources. */
let bare: FactSet;

beforeAll(async () => {
  const log = pino({ level: 'silent' });
  for (const host of hosts) collected.push(await collectFacts({ root: copyFixtureTree(host, copies), live: false, log }));
  bare = await withTree({ 'etc/hostname': 'bare\n', 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' }, (root) =>
    collectFacts({ root, live: false, log }),
  );
}, 60_000);
afterAll(() => rmSync(copies, { recursive: true, force: true }));

type Mutation = 'missing' | 'error' | 'empty';
const MUTATIONS: Mutation[] = ['missing', 'error', 'empty'];

/** Facts whose "empty" is an observation, not an unknown, and why. */
const KNOWN_WHEN_EMPTY: Record<string, string> = {
  files: 'every listed path is stat-ed: "does not exist" is what the host is, and a permission rule passes on an absent file',
};

function withFact(base: FactSet, name: string, how: Mutation): FactSet {
  const facts = { ...(base.facts as Record<string, unknown>) };
  const errors = { ...base.errors };
  delete facts[name];
  delete errors[name];
  if (how === 'error') errors[name] = { code: 'PLUMBLINE_ERR_READ', message: `${name} could not be read` };
  if (how === 'empty') {
    if (name in KNOWN_WHEN_EMPTY) return base;
    // What the collector itself reports when the tree holds none of the fact's sources.
    const value = (bare.facts as Record<string, unknown>)[name];
    const error = bare.errors[name];
    if (value !== undefined) facts[name] = value;
    else if (error) errors[name] = error;
    if (isDeepStrictEqual(value, (base.facts as Record<string, unknown>)[name])) return base;
  }
  return { facts: facts as FactSet['facts'], errors };
}

interface Breach {
  rule: string;
  host: string;
  fact: string;
  how: Mutation;
  evidence: string;
}

/**
 * The facts a rule's verdict rests on: those its check reads. Left out are the facts read only to
 * narrow the rule, which an unknown value never makes laxer: the applicability gate (a package
 * inventory that cannot prove cron absent keeps the cron rules applicable) and the audit context
 * of sshd checks (host and groups decide which Match blocks concern root; unknown, every block is
 * judged).
 */
function verdictFacts(rule: Rule, base: FactSet): string[] {
  const reads = evaluateTracked([{ ...rule, applies: undefined }], base, { now }).reads[0] ?? [];
  const check = JSON.stringify(rule.check);
  const context = check.includes('"sshd":') ? ['host', 'groups'].filter((f) => !check.includes(`"fact":"${f}"`)) : [];
  return reads.filter((f) => f in factSchemas && !context.includes(f));
}

/** The host's facts with `name` as another fixture host has it (or without it, where that host has none). */
function withValueFrom(base: FactSet, name: string, other: FactSet): FactSet {
  const facts = { ...(base.facts as Record<string, unknown>) };
  const value = (other.facts as Record<string, unknown>)[name];
  if (value === undefined) return base;
  facts[name] = value;
  const errors = { ...base.errors };
  delete errors[name];
  return { facts: facts as FactSet['facts'], errors };
}

/**
 * A pass with the fact unknown is a breach unless the fact did not matter: the rule passes with
 * the fact's value from every fixture host as well (an `any` decided by another branch, such as
 * pam_unix naming yescrypt whatever login.defs says). An unknown must never be judged more
 * kindly than a value the fact really takes.
 */
function breaches(hostIndex: number, how: Mutation): Breach[] {
  const base = collected[hostIndex] as FactSet;
  const out: Breach[] = [];
  rules.forEach((rule) => {
    for (const fact of verdictFacts(rule, base)) {
      const mutated = withFact(base, fact, how);
      if (mutated === base) continue;
      const [r] = evaluate([rule], mutated, { now });
      if (r?.status !== 'pass') continue;
      const known = collected.map((other) => evaluate([rule], withValueFrom(base, fact, other), { now })[0]?.status);
      if (known.every((s) => s === 'pass')) continue;
      out.push({ rule: rule.id, host: hosts[hostIndex] as string, fact, how, evidence: r.evidence.map((e) => e.observed).join('; ') });
    }
  });
  return out;
}

describe('an empty or unknowable fact never yields pass', () => {
  it.each(MUTATIONS)('every rule, every fact it reads %s, on every fixture host', (how) => {
    const found = hosts.flatMap((_, i) => breaches(i, how));
    expect(found.map((b) => `${b.rule} on ${b.host} with ${b.fact} ${b.how}: ${b.evidence}`)).toEqual([]);
  });

  it('holds when several facts a rule reads are missing, failed or empty at once', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: hosts.length - 1 }),
        fc.nat({ max: rules.length - 1 }),
        fc.array(fc.constantFrom<Mutation>(...MUTATIONS), { minLength: 2, maxLength: 4 }),
        (h, ri, hows) => {
          const rule = rules[ri] as Rule;
          const base = collected[h] as FactSet;
          const reads = verdictFacts(rule, base);
          let facts = base;
          const touched = new Set<string>();
          hows.forEach((how, i) => {
            const name = reads[i % Math.max(reads.length, 1)];
            if (name === undefined) return;
            const next = withFact(facts, name, how);
            if (next !== facts) touched.add(name);
            facts = next;
          });
          if (!touched.size || evaluate([rule], facts, { now })[0]?.status !== 'pass') return;
          // A pass is only allowed where none of the facts made unknown mattered.
          for (const name of touched) {
            const known = collected.map((other) => evaluate([rule], withValueFrom(base, name, other), { now })[0]?.status);
            expect(
              known.every((st) => st === 'pass'),
              `${rule.id} passes with ${[...touched].join(', ')} unknown`,
            ).toBe(true);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
