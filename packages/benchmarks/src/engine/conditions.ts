import type { CombinatorCondition, Condition, ListCondition, ValueCondition } from '../schema';
import { conditionKind } from '../schema';
import { pathSegments } from '../fact-paths';
import { evalFile, evalListeners, evalModule, evalPackage, evalSshd, evalSysctl } from './domain';
import { evalNotInUse } from './not-in-use';
import { describeExpectation, expectedValue } from './expect';
import { factSource, factValue, show, walk } from './facts';
import { applyTransforms, compare } from './operators';
import { FactUnavailable, type Env, type Evidence, type Outcome } from './types';

/** What a condition is evaluated against: a whole fact, or one element of a list. */
export interface Scope {
  fact?: string;
  value?: unknown;
  /** The record key when visiting a record entry (`$key`). */
  key?: string;
  /** Describes the element being visited, prefixed to evidence; made only when evidence is. */
  label?: () => string;
  /**
   * Only the verdict counts (a list's `where` filter): decided outcomes carry no evidence,
   * which nobody reads. Unknown outcomes still carry theirs, as they are reported.
   */
  quiet?: boolean;
}

/** Rule content is immutable once loaded: what is derived from a condition is derived once. */
const kinds = new WeakMap<object, ReturnType<typeof conditionKind>>();
function kindOf(c: Condition) {
  let k = kinds.get(c);
  if (k === undefined) kinds.set(c, (k = conditionKind(c)));
  return k;
}

const segmentCache = new Map<string, (string | number)[]>();
function segmentsOf(path: Parameters<typeof pathSegments>[0]): (string | number)[] {
  if (typeof path !== 'string') return pathSegments(path);
  let segs = segmentCache.get(path);
  if (!segs) segmentCache.set(path, (segs = pathSegments(path)));
  return segs;
}

/** describeExpectation per condition, remade only when the expected value (a parameter) differs. */
const described = new WeakMap<object, { subject: string; expected: unknown; text: string }>();
function expectationOf(c: ValueCondition, subject: string, expected: unknown): string {
  const hit = described.get(c);
  if (hit && hit.subject === subject && hit.expected === expected) return hit.text;
  const text = describeExpectation(subject, c.op, expected);
  described.set(c, { subject, expected, text });
  return text;
}

/**
 * Three-valued: a condition whose fact is missing is unknown (null), not false. Combinators
 * follow Kleene logic, so `any` still passes when one branch passes and another could not be
 * judged, but a verdict that depends on the missing fact stays unknown (the rule is `error`).
 */
export function evalCondition(c: Condition, env: Env, scope: Scope): Outcome {
  try {
    return evalKnown(c, env, scope);
  } catch (err) {
    if (err instanceof FactUnavailable) return { ok: null, evidence: [err.evidence] };
    throw err;
  }
}

function evalKnown(c: Condition, env: Env, scope: Scope): Outcome {
  const kind = kindOf(c);
  const inner: Scope =
    'fact' in c && typeof c.fact === 'string' ? { fact: c.fact, value: factValue(env, c.fact), quiet: scope.quiet } : scope;
  switch (kind) {
    case 'combinator':
      return evalCombinator(c as CombinatorCondition, env, inner);
    case 'list':
      return evalList(c as ListCondition, env, inner);
    case 'value':
      return evalValue(c as ValueCondition, env, inner);
    case 'sysctl':
      return evalSysctl(c as never, env);
    case 'sshd':
      return evalSshd(c as never, env);
    case 'file':
      return evalFile(c as never, env);
    case 'package':
      return evalPackage(c as never, env);
    case 'module':
      return evalModule(c as never, env);
    case 'listeners':
      return evalListeners(c as never, env);
    case 'notInUse':
      return evalNotInUse(c as never, env);
    default:
      throw new Error('unknown condition kind (content was not validated)');
  }
}

function evalCombinator(c: CombinatorCondition, env: Env, scope: Scope): Outcome {
  // Every child is evaluated (no short cut) so that a fact error anywhere makes the rule `error`.
  const mode = c.all ? 'all' : c.any ? 'any' : 'none';
  const outs = (c.all ?? c.any ?? c.none ?? []).map((x) => evalCondition(x, env, scope));
  const passed = outs.filter((o) => o.ok === true);
  const failed = outs.filter((o) => o.ok === false);
  const unknown = outs.filter((o) => o.ok === null);
  const ev = (os: Outcome[]) => os.flatMap((o) => o.evidence);
  const negated = (os: Outcome[]) => ev(os).map((e) => ({ ...e, expected: `not (${e.expected})` }));
  if (mode === 'all') {
    if (failed.length) return { ok: false, evidence: ev(failed) };
    return unknown.length ? { ok: null, evidence: ev(unknown) } : { ok: true, evidence: ev(passed) };
  }
  if (mode === 'any') {
    if (passed.length) return { ok: true, evidence: ev(passed) };
    return unknown.length ? { ok: null, evidence: ev(unknown) } : { ok: false, evidence: ev(failed) };
  }
  if (passed.length) return { ok: false, evidence: negated(passed) };
  return unknown.length ? { ok: null, evidence: ev(unknown) } : { ok: true, evidence: negated(failed) };
}

function evalValue(c: ValueCondition, env: Env, scope: Scope): Outcome {
  const segs = segmentsOf(c.path);
  let observed: unknown;
  let source: string | undefined;
  if (segs[0] === '$key') observed = scope.key;
  else {
    const w = walk(scope.value, segs);
    observed = w.value;
    source = w.source;
  }
  if (observed === undefined && c.default !== undefined) observed = c.default;
  observed = applyTransforms(observed, c.transform);
  const expected = expectedValue(c, env);
  const ok = compare(c.op, observed, expected, { ignoreCase: c.ignoreCase, scheme: c.scheme ?? env.scheme });
  if (scope.quiet) return { ok, evidence: [] };
  const subject = typeof c.path === 'string' ? c.path : segs.length ? segs.join('.') : (scope.fact ?? 'value');
  const ev: Evidence = {
    expected: expectationOf(c, subject, expected),
    observed: scope.label ? `${scope.label()}: ${show(observed)}` : show(observed),
    source: source ?? (scope.fact ? factSource(env, scope.fact) : undefined),
  };
  return { ok, evidence: [ev] };
}

/** A short name for a list element in evidence: its name, socket address, or record key. */
function describeElement(el: unknown, key: string | undefined): string {
  if (key !== undefined) return key;
  if (el && typeof el === 'object') {
    const r = el as Record<string, unknown>;
    if (typeof r.port === 'number' && typeof r.protocol === 'string') {
      return `${r.protocol} ${String(r.address)}:${r.port}${r.process ? ` (${String(r.process)})` : ''}`;
    }
    if (typeof r.name === 'string') return r.name;
  }
  return show(el);
}

const MAX_LISTED = 20;

function evalList(c: ListCondition, env: Env, scope: Scope): Outcome {
  const segs = segmentsOf(c.list);
  const w = walk(scope.value, segs);
  const subject = typeof c.list === 'string' ? c.list : segs.join('.');
  if (w.value === null || w.value === undefined) {
    // Unknown (e.g. no /proc in a --root tree) is neither compliant nor not: the rule is `error`.
    throw new FactUnavailable(scope.fact ?? subject, {
      expected: `${subject} known`,
      observed: `${subject} is ${show(w.value)} (not readable on this host)`,
      source: w.source ?? factSource(env, scope.fact ?? ''),
    });
  }
  const entries: [string | undefined, unknown][] = Array.isArray(w.value)
    ? w.value.map((v) => [undefined, v])
    : Object.entries(w.value as Record<string, unknown>);
  const elScope = (k: string | undefined, v: unknown, quiet = scope.quiet): Scope => ({
    fact: scope.fact,
    value: v,
    key: k,
    label: () => describeElement(v, k),
    quiet,
  });
  const selected: [string | undefined, unknown][] = [];
  const undecided: Outcome[] = [];
  for (const [k, v] of entries) {
    const w2 = c.where ? evalCondition(c.where, env, elScope(k, v, true)) : { ok: true, evidence: [] };
    if (w2.ok === true) selected.push([k, v]);
    else if (w2.ok === null) undecided.push(w2);
  }
  // An element we cannot even select is unknown: the quantifier is unknown unless decided anyway.
  if (undecided.length && c.count) return { ok: null, evidence: undecided.flatMap((o) => o.evidence) };
  const src = w.source ?? factSource(env, scope.fact ?? '');
  if (c.count) {
    const expected = c.count.param !== undefined ? env.params[c.count.param] : c.count.value;
    const ok = compare(c.count.op, selected.length, expected, { scheme: env.scheme });
    const names = selected.slice(0, MAX_LISTED).map(([k, v]) => describeElement(v, k));
    return {
      ok,
      evidence: [
        {
          expected: describeExpectation(`count of ${subject}`, c.count.op, expected),
          observed: `${selected.length}${names.length ? `: ${names.join(', ')}` : ''}`,
          source: src,
        },
      ],
    };
  }
  const mode = c.all ? 'all' : c.any ? 'any' : 'none';
  const test = (c.all ?? c.any ?? c.none) as Condition;
  const outs = selected.map(([k, v]) => evalCondition(test, env, elScope(k, v)));
  const hits = outs.filter((o) => o.ok === true);
  const misses = outs.filter((o) => o.ok === false);
  const unknown = [...undecided, ...outs.filter((o) => o.ok === null)];
  const listed = (os: Outcome[]) => os.slice(0, MAX_LISTED).flatMap((o) => o.evidence);
  const decidedBy = mode === 'all' ? misses.length > 0 : hits.length > 0;
  if (unknown.length && !decidedBy) return { ok: null, evidence: listed(unknown) };
  if (mode === 'all') {
    if (misses.length) return { ok: false, evidence: listed(misses) };
    return {
      ok: true,
      evidence: [
        { expected: `every ${subject} entry satisfies the check`, observed: `${selected.length} of ${selected.length} do`, source: src },
      ],
    };
  }
  if (mode === 'any') {
    if (hits.length) return { ok: true, evidence: listed(hits).slice(0, 3) };
    return {
      ok: false,
      evidence: [{ expected: `some ${subject} entry satisfies the check`, observed: `none of ${selected.length} does`, source: src }],
    };
  }
  if (hits.length) return { ok: false, evidence: listed(hits).map((e) => ({ ...e, expected: `no entry with ${e.expected}` })) };
  return { ok: true, evidence: [{ expected: `no ${subject} entry matches`, observed: `none of ${selected.length} matches`, source: src }] };
}
