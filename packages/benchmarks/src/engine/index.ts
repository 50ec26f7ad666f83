import type { FactSet, HostFact, PackagesFact } from '@plumbline/protocol/facts';
import type { z } from 'zod';
import type { Applicability, Rule } from '../schema';
import { evalCondition } from './conditions';
import { inventoryKnown, packagesByName } from './domain';
import { factState } from './facts';
import { FactUnavailable, type Env, type EvaluateContext, type Evidence, type Result, type Status } from './types';
import type { VersionScheme } from './versions';

export type { EvaluateContext, Evidence, Result, Status } from './types';
export { compare, applyTransforms, parseSeconds } from './operators';
export { compareDebVersions, compareRpmVersions, rpmvercmp } from './versions';

type Host = z.infer<typeof HostFact>;
type Packages = z.infer<typeof PackagesFact>;

/** Rule defaults overlaid with the tailored values. */
export function ruleParams(rule: Rule, tailored: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, def] of Object.entries(rule.params ?? {})) out[k] = def.default;
  return { ...out, ...(tailored ?? {}) };
}

type Gate = { status: 'applies' } | { status: 'notapplicable' | 'error'; evidence: Evidence[] };

function applicability(a: Applicability | undefined, env: Env, ctx: EvaluateContext): Gate {
  if (!a) return { status: 'applies' };
  for (const f of a.facts ?? []) {
    if (factState(env, f) === 'absent')
      return {
        status: 'notapplicable',
        evidence: [{ expected: `fact ${f} collected`, observed: 'not collected by this agent', source: `fact ${f}` }],
      };
  }
  if (a.os) {
    const host = env.facts.facts.host as Host | undefined;
    const os = ctx.os ?? host?.os;
    if (!os)
      return {
        status: 'error',
        evidence: [
          { expected: 'the OS to be known', observed: env.facts.errors.host?.message ?? 'host fact missing', source: '/etc/os-release' },
        ],
      };
    const id = os.id ?? '';
    const like = os.id_like ?? [];
    const version = os.version_id ?? '';
    const hit = a.os.some((m) =>
      m.versions ? m.id === id && m.versions.some((v) => version === v || version.startsWith(`${v}.`)) : m.id === id || like.includes(m.id),
    );
    if (!hit) {
      const want = a.os.map((m) => `${m.id}${m.versions ? ` ${m.versions.join('/')}` : ''}`).join(', ');
      return {
        status: 'notapplicable',
        evidence: [{ expected: `OS ${want}`, observed: `${id || '?'} ${version}`.trim(), source: '/etc/os-release' }],
      };
    }
  }
  if (a.packages && factState(env, 'packages') === 'present') {
    const p = env.facts.facts.packages as Packages;
    // An unreadable or empty inventory (rpm under --root) cannot prove absence: the rule still applies.
    const byName = packagesByName(p);
    if (inventoryKnown(p) && !a.packages.some((n) => byName.get(n)?.some((x) => x.installed))) {
      return {
        status: 'notapplicable',
        evidence: [
          {
            expected: `${a.packages.join(' | ')} installed`,
            observed: 'not installed',
            source: p.manager === 'rpm' ? 'rpm -qa' : '/var/lib/dpkg/status',
          },
        ],
      };
    }
  }
  if (a.when) {
    const o = evalCondition(a.when, env, {});
    if (o.ok === null) return { status: 'error', evidence: o.evidence };
    if (!o.ok) return { status: 'notapplicable', evidence: o.evidence };
  }
  return { status: 'applies' };
}

/** What every result of a rule carries of the rule itself. */
export function resultBase(rule: Rule): Omit<Result, 'status' | 'evidence' | 'waived' | 'waiver'> {
  return {
    ruleId: rule.id,
    title: rule.title,
    severity: rule.severity,
    levels: rule.levels,
    section: rule.section,
    references: rule.references,
  };
}

function evaluateOne(rule: Rule, facts: FactSet, ctx: EvaluateContext, scheme: Env['scheme'], reads?: Set<string>): Result {
  const env: Env = {
    facts: reads ? recordingFacts(facts, reads) : facts,
    now: ctx.now,
    scheme,
    params: ruleParams(rule, ctx.params?.[rule.id]),
  };
  if (reads) Object.defineProperty(env, 'now', { get: () => (reads.add(READS_CLOCK), ctx.now) });
  const base = resultBase(rule);
  let status: Status;
  let evidence: Evidence[];
  try {
    const gate = applicability(rule.applies, env, ctx);
    if (gate.status !== 'applies') return { ...base, status: gate.status, evidence: gate.evidence };
    const o = evalCondition(rule.check, env, {});
    status = o.ok === null ? 'error' : o.ok ? 'pass' : 'fail';
    evidence = o.evidence;
  } catch (err) {
    if (!(err instanceof FactUnavailable)) throw err;
    status = 'error';
    evidence = [err.evidence];
  }
  return { ...base, status, evidence };
}

/**
 * Evaluates rules against one host's facts. Pure: no I/O, no clock (ctx.now), no logging;
 * the same inputs always give the same results, in rule order.
 */
export function evaluate(rules: readonly Rule[], facts: FactSet, ctx: EvaluateContext): Result[] {
  const scheme = versionScheme(facts);
  return rules.map((r) => evaluateOne(r, facts, ctx, scheme));
}

function versionScheme(facts: FactSet): VersionScheme {
  const pk = facts.facts.packages as Packages | undefined;
  const host = facts.facts.host as Host | undefined;
  const rpmLike =
    pk?.manager === 'rpm' ||
    ['rhel', 'fedora', 'centos', 'rocky', 'almalinux'].some((x) => host?.os.id === x || host?.os.id_like.includes(x));
  return rpmLike ? 'rpm' : 'deb';
}

/** In a rule's reads: it read the clock (`ctx.now`), so its verdict can change with no fact changing. */
export const READS_CLOCK = '$now';
/** In a rule's reads: it listed the facts themselves, so any change may matter. */
export const READS_ALL = '*';

/** A tracked evaluation: results in rule order, `undefined` where a rule was not judged again. */
export interface TrackedEvaluation {
  results: Array<Result | undefined>;
  /** Per rule, in rule order: the top-level facts it read (its value or its collection error), sorted. */
  reads: (readonly string[])[];
  scheme: VersionScheme;
}

/** What a host's previous tracked evaluation read, and which top-level facts differ since. */
export interface SincePrevious {
  reads: readonly (readonly string[])[];
  scheme: VersionScheme;
  changed: ReadonlySet<string>;
}

/**
 * Evaluates as `evaluate` does, noting what each rule reads. Given the previous evaluation
 * of the same host with the same rules and context (all but the clock), only the rules that
 * read a fact that changed, or the clock, are judged again: the engine is pure, so any
 * other rule would give the same verdict and the same evidence. Every rule is judged when
 * the rules differ in number or the host changed version scheme (deb or rpm).
 */
export function evaluateTracked(rules: readonly Rule[], facts: FactSet, ctx: EvaluateContext, since?: SincePrevious): TrackedEvaluation {
  // The scheme depends on these two facts alone: unchanged, it is the previous one.
  const scheme = since && !schemeMayDiffer(since) ? since.scheme : versionScheme(facts);
  const usable = since && since.scheme === scheme && since.reads.length === rules.length ? since : undefined;
  const out: TrackedEvaluation = { results: [], reads: [], scheme };
  rules.forEach((rule, i) => {
    const before = usable?.reads[i];
    if (before && !judgedAgain(before, usable.changed)) {
      out.results.push(undefined);
      out.reads.push(before);
      return;
    }
    const reads = new Set<string>();
    out.results.push(evaluateOne(rule, facts, ctx, scheme, reads));
    out.reads.push([...reads].sort());
  });
  return out;
}

/** The facts the version scheme (deb or rpm) is read from. */
const SCHEME_FACTS = ['host', 'packages'];
const schemeMayDiffer = (since: SincePrevious) => SCHEME_FACTS.some((name) => since.changed.has(name));

/** Whether a rule that read `before` last time is judged again when the `changed` facts differ. */
export function judgedAgain(before: readonly string[], changed: ReadonlySet<string>): boolean {
  return before.some((name) => name === READS_CLOCK || name === READS_ALL || changed.has(name));
}

/**
 * `evaluateTracked` over a fact set whose values are not all at hand (a server that read only
 * some of a host's stored facts). `load` adds the values of the named facts, or of every fact,
 * to `facts` and says whether it added any. The rules are judged, then judged again whenever
 * they read a fact whose value was not at hand, until they read only values at hand: the
 * engine is pure, so the last round is what judging with every value gives.
 */
export async function evaluateLoading(
  rules: readonly Rule[],
  facts: FactSet,
  ctx: EvaluateContext,
  since: SincePrevious | undefined,
  load: (names: ReadonlySet<string> | 'all') => Promise<boolean>,
): Promise<TrackedEvaluation> {
  // Each saves rounds: without a previous evaluation every rule is judged, and the scheme is
  // read from its two facts outside any rule.
  if (!since) await load('all');
  else if (schemeMayDiffer(since)) await load(new Set(SCHEME_FACTS));
  for (let round = 0; ; round++) {
    const tracked = evaluateTracked(rules, facts, ctx, since);
    const read = new Set<string>();
    tracked.results.forEach((r, i) => r && tracked.reads[i]?.forEach((name) => read.add(name)));
    read.delete(READS_CLOCK);
    // A rule whose branches keep reaching further is given everything after three rounds.
    const wanted = read.has(READS_ALL) || round >= 3 ? 'all' : read;
    if (!(await load(wanted))) return tracked;
  }
}

/** The fact set as a rule sees it, noting each top-level fact it looks up (in the facts or their errors). */
function recordingFacts(facts: FactSet, reads: Set<string>): FactSet {
  const record = <T extends object>(target: T): T =>
    new Proxy(target, {
      get: (t, key, receiver) => (typeof key === 'string' && reads.add(key), Reflect.get(t, key, receiver)),
      has: (t, key) => (typeof key === 'string' && reads.add(key), Reflect.has(t, key)),
      getOwnPropertyDescriptor: (t, key) => (typeof key === 'string' && reads.add(key), Reflect.getOwnPropertyDescriptor(t, key)),
      ownKeys: (t) => (reads.add(READS_ALL), Reflect.ownKeys(t)),
    });
  return { facts: record(facts.facts), errors: record(facts.errors) };
}
