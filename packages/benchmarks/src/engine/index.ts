import type { FactSet, HostFact, PackagesFact } from '@plumbline/protocol/facts';
import type { z } from 'zod';
import type { Applicability, Rule } from '../schema';
import { evalCondition } from './conditions';
import { packagesByName } from './domain';
import { factState } from './facts';
import { FactUnavailable, type Env, type EvaluateContext, type Evidence, type Result, type Status } from './types';

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
    if (factState(env, f) === 'absent') return { status: 'notapplicable', evidence: [{ expected: `fact ${f} collected`, observed: 'not collected by this agent', source: `fact ${f}` }] };
  }
  if (a.os) {
    const host = env.facts.facts.host as Host | undefined;
    const os = ctx.os ?? host?.os;
    if (!os) return { status: 'error', evidence: [{ expected: 'the OS to be known', observed: env.facts.errors.host?.message ?? 'host fact missing', source: '/etc/os-release' }] };
    const id = os.id ?? '';
    const like = os.id_like ?? [];
    const version = os.version_id ?? '';
    const hit = a.os.some((m) => (m.versions ? m.id === id && m.versions.some((v) => version === v || version.startsWith(`${v}.`)) : m.id === id || like.includes(m.id)));
    if (!hit) {
      const want = a.os.map((m) => `${m.id}${m.versions ? ` ${m.versions.join('/')}` : ''}`).join(', ');
      return { status: 'notapplicable', evidence: [{ expected: `OS ${want}`, observed: `${id || '?'} ${version}`.trim(), source: '/etc/os-release' }] };
    }
  }
  if (a.packages && factState(env, 'packages') === 'present') {
    const p = env.facts.facts.packages as Packages;
    // An unreadable inventory (rpm under --root) cannot prove absence: the rule still applies.
    const byName = packagesByName(p);
    if (p.available && !a.packages.some((n) => byName.get(n)?.some((x) => x.installed))) {
      return { status: 'notapplicable', evidence: [{ expected: `${a.packages.join(' | ')} installed`, observed: 'not installed', source: p.manager === 'rpm' ? 'rpm -qa' : '/var/lib/dpkg/status' }] };
    }
  }
  if (a.when) {
    const o = evalCondition(a.when, env, {});
    if (o.ok === null) return { status: 'error', evidence: o.evidence };
    if (!o.ok) return { status: 'notapplicable', evidence: o.evidence };
  }
  return { status: 'applies' };
}

function evaluateOne(rule: Rule, facts: FactSet, ctx: EvaluateContext, scheme: Env['scheme']): Result {
  const env: Env = { facts, now: ctx.now, scheme, params: ruleParams(rule, ctx.params?.[rule.id]) };
  const base = { ruleId: rule.id, title: rule.title, severity: rule.severity, levels: rule.levels, section: rule.section, references: rule.references };
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
  const pk = facts.facts.packages as Packages | undefined;
  const host = facts.facts.host as Host | undefined;
  const rpmLike = pk?.manager === 'rpm' || ['rhel', 'fedora', 'centos', 'rocky', 'almalinux'].some((x) => host?.os.id === x || host?.os.id_like.includes(x));
  const scheme = rpmLike ? 'rpm' : 'deb';
  return rules.map((r) => evaluateOne(r, facts, ctx, scheme));
}
