import type {
  FilesFact,
  KernelModulesFact,
  ListeningSocketsFact,
  PackagesFact,
  SshdConfigFact,
  SysctlFact,
} from '@plumbline/protocol/facts';
import type { z } from 'zod';
import type {
  FileCondition,
  ListenerEntry,
  ListenersCondition,
  ModuleCondition,
  PackageCondition,
  SshdCondition,
  SysctlCondition,
} from '../schema';
import { describeExpectation, expectedValue } from './expect';
import { factSource, factValue, show } from './facts';
import { applyTransforms, compare, regexOf } from './operators';
import { effectiveSshdValue, SSHD_DEFAULTS } from './sshd-defaults';
import { matchApplies, type AuditContext } from './sshd-match';
import { FactUnavailable, type Env, type Evidence, type Outcome } from './types';

type Sysctl = z.infer<typeof SysctlFact>;
type Sshd = z.infer<typeof SshdConfigFact>;

/** A glob key in sysctl.d (`net.ipv4.conf.*.rp_filter`) also sets the concrete keys it matches. */
function persistedFor(fact: Sysctl, key: string) {
  const exact = fact.persisted[key];
  if (exact) return exact;
  for (const [k, v] of Object.entries(fact.persisted)) {
    if (!k.includes('*')) continue;
    const re = regexOf(`^${k.replace(/\./g, '\\.').replace(/\*/g, '[^.]+')}$`);
    if (re.test(key)) return v;
  }
  return undefined;
}

/**
 * Both the running value and the value persisted for the next boot must comply, where each
 * is known; the evidence says which of the two is wrong. Under --root there is usually no
 * runtime value, and the persisted one decides.
 */
export function evalSysctl(c: SysctlCondition, env: Env): Outcome {
  const fact = factValue(env, 'sysctl') as Sysctl;
  const expected = expectedValue(c, env);
  const opts = { ignoreCase: c.ignoreCase, scheme: env.scheme };
  const want = (which: string) => describeExpectation(`${c.sysctl} (${which})`, c.op, expected);
  const evidence: Evidence[] = [];
  let ok = true;
  const rt = fact.runtime?.[c.sysctl];
  if (rt) {
    const good = compare(c.op, applyTransforms(rt.value, c.transform), expected, opts);
    ok &&= good;
    evidence.push({ expected: want('runtime'), observed: good ? rt.value : `${rt.value} (runtime value is wrong)`, source: rt.source });
  }
  const p = persistedFor(fact, c.sysctl);
  if (p) {
    const good = compare(c.op, applyTransforms(p.value, c.transform), expected, opts);
    ok &&= good;
    const over = p.overridden.length ? `; overrides ${p.overridden.map((o) => `${o.value} at ${o.file}:${o.line}`).join(', ')}` : '';
    evidence.push({
      expected: want('persisted'),
      observed: `${p.value}${good ? '' : ' (persisted value is wrong)'}${over}`,
      source: `${p.file}:${p.line}`,
    });
  } else if (c.requirePersisted !== false) {
    ok = false;
    evidence.push({
      expected: want('persisted'),
      observed: 'not set in any sysctl configuration file (lost at reboot)',
      source: fact.files.length ? fact.files.join(', ') : 'sysctl.d',
    });
  }
  if (!rt && !p && c.requirePersisted === false) {
    throw new FactUnavailable('sysctl', {
      expected: want('runtime'),
      observed: 'no runtime value readable and none persisted',
      source: '/proc/sys',
    });
  }
  return { ok, evidence };
}

/**
 * The connection CIS audits sshd for: root, from this host's own name (the address is not known
 * offline). Where the host or group facts are unknown, Match blocks on them are judged: an
 * unknown never makes a block look irrelevant.
 */
function auditContext(env: Env): AuditContext {
  const facts = env.facts.facts as Record<string, unknown>;
  const host = facts.host as { hostname?: string } | undefined;
  const groups = facts.groups as { name: string; gid: number; members: string[] }[] | undefined;
  const mine = groups?.filter((g) => g.gid === 0 || g.members.includes('root')).map((g) => g.name);
  return { user: 'root', groups: mine?.length ? mine : null, host: host?.hostname ?? null };
}

/**
 * sshd in the context CIS audits (`sshd -T -C user=root -C host=... -C addr=...`): the value of
 * the first Match block that applies to that connection, else the global value (file:line, or
 * the OpenSSH default). A block whose criteria the engine cannot decide offline (an address, a
 * port) is judged too, so it cannot hide a bad value. A block that cannot apply to the audited
 * connection (`Match User backup`) does not decide the rule: a bad value there is evidence only.
 */
export function evalSshd(c: SshdCondition, env: Env): Outcome {
  const fact = factValue(env, 'sshd_config') as Sshd;
  const expected = expectedValue(c, env);
  const opts = { ignoreCase: c.ignoreCase ?? true, scheme: env.scheme };
  const kw = c.sshd;
  const one = (s: Sshd['settings'][string] | undefined, label: string, fallback: string): Evidence & { ok: boolean } => {
    const raw = s ? s.value : (SSHD_DEFAULTS[kw] ?? undefined);
    const value = raw === undefined ? undefined : effectiveSshdValue(kw, raw);
    const ok = compare(c.op, applyTransforms(value, c.transform), expected, opts);
    const source = s?.file ? `${s.file}${s.line ? `:${s.line}` : ''}` : s ? fact.source : fallback;
    const name = s?.keyword ?? kw;
    return {
      ok,
      expected: describeExpectation(`${label}${name}`, c.op, expected),
      observed: s ? show(value) : raw === undefined ? '(not set)' : `${show(value)} (OpenSSH default)`,
      source,
    };
  };
  const global = one(fact.settings[kw], '', `OpenSSH default, not set in ${fact.files.join(', ') || fact.main_file}`);
  const judged: (Evidence & { ok: boolean })[] = [];
  const aside: Evidence[] = [];
  let decided = false;
  if (c.matchBlocks !== false) {
    const ctx = auditContext(env);
    const who = `user=${ctx.user}${ctx.host ? ` host=${ctx.host}` : ''}`;
    for (const m of fact.match_blocks) {
      const s = m.settings[kw];
      if (!s) continue;
      const r = one(s, `Match ${m.criteria}: `, `${m.file}:${m.line}`);
      const applies = decided ? false : matchApplies(m.criteria, ctx);
      if (applies === false) {
        if (!r.ok)
          aside.push({
            expected: r.expected,
            observed: `${r.observed} (for other connections than the audited ${who}: reported, not judged)`,
            source: r.source,
          });
        continue;
      }
      judged.push(r);
      // sshd applies the first value a matching block sets; later blocks do not change it.
      if (applies === true) decided = true;
    }
  }
  const checks = decided ? judged : [global, ...judged];
  const bad = checks.filter((x) => !x.ok);
  const strip = ({ ok: _ok, ...e }: Evidence & { ok: boolean }): Evidence => e;
  return { ok: bad.length === 0, evidence: [...(bad.length ? bad : checks).map(strip), ...aside] };
}

/** Mode at most, owner and group in the allowed lists; an absent file passes unless `missing: fail`. */
export function evalFile(c: FileCondition, env: Env): Outcome {
  const fact = factValue(env, 'files') as z.infer<typeof FilesFact>;
  const m = fact[c.file];
  const param = <T>(v: T | { param: string } | undefined): T | undefined =>
    v && typeof v === 'object' && !Array.isArray(v) && 'param' in v ? (env.params[v.param] as T) : (v as T | undefined);
  const mode = param(c.mode);
  const owners = param(c.owner);
  const groups = param(c.group);
  const wants = [mode && `mode <= ${mode}`, owners && `owner ${owners.join('|')}`, groups && `group ${groups.join('|')}`]
    .filter(Boolean)
    .join(', ');
  if (!m) {
    throw new FactUnavailable('files', {
      expected: `metadata of ${c.file}`,
      observed: 'the agent does not report this path',
      source: 'stat',
    });
  }
  if (!m.exists) {
    const ok = (c.missing ?? 'pass') === 'pass';
    return {
      ok,
      evidence: [
        {
          expected: ok ? `${wants} if present` : `${c.file} exists${wants ? ` with ${wants}` : ''}`,
          observed: 'does not exist',
          source: c.file,
        },
      ],
    };
  }
  const problems: string[] = [];
  if (mode && !compare('mode-at-most', m.mode ?? undefined, mode, { scheme: env.scheme }))
    problems.push(`mode ${m.mode ?? '?'} exceeds ${mode}`);
  // A tree without its own /etc/passwd or /etc/group has no names; id 0 is root by definition.
  const who = m.owner ?? (m.uid === 0 ? 'root' : `uid ${m.uid ?? '?'}`);
  const grp = m.group ?? (m.gid === 0 ? 'root' : `gid ${m.gid ?? '?'}`);
  if (owners && !owners.includes(who)) problems.push(`owner ${who}`);
  if (groups && !groups.includes(grp)) problems.push(`group ${grp}`);
  const observed = `${m.mode ?? '?'} ${who}:${grp}${problems.length ? ` (${problems.join('; ')})` : ''}`;
  return { ok: problems.length === 0, evidence: [{ expected: wants, observed, source: c.file }] };
}

type Packages = z.infer<typeof PackagesFact>;
const packageIndex = new WeakMap<Packages, Map<string, Packages['packages']>>();

/** The inventory by package name, built once per fact set: many rules look packages up. */
export function packagesByName(fact: Packages): Map<string, Packages['packages']> {
  let index = packageIndex.get(fact);
  if (!index) {
    index = new Map();
    for (const p of fact.packages) {
      const list = index.get(p.name);
      if (list) list.push(p);
      else index.set(p.name, [p]);
    }
    packageIndex.set(fact, index);
  }
  return index;
}

/**
 * Whether the inventory can prove a package absent: it was read, and it lists something. A
 * database without a single package is not a host's (an emptied or half-copied tree).
 */
export function inventoryKnown(fact: Packages): boolean {
  return fact.available && fact.packages.length > 0;
}

export function inventoryUnknownReason(fact: Packages): string {
  return fact.available ? 'the package inventory is empty: nothing can be proved absent' : (fact.reason ?? 'package inventory unavailable');
}

/** Installed means the package's files are on disk; a removed package with config files left is absent. */
export function evalPackage(c: PackageCondition, env: Env): Outcome {
  const fact = factValue(env, 'packages') as z.infer<typeof PackagesFact>;
  const source = factSource(env, 'packages');
  const names = Array.isArray(c.package) ? c.package : [c.package];
  const label = names.join(' | ');
  if (!inventoryKnown(fact)) {
    throw new FactUnavailable('packages', {
      expected: `package inventory to check ${label}`,
      observed: inventoryUnknownReason(fact),
      source,
    });
  }
  const byName = packagesByName(fact);
  const found = names.flatMap((n) => byName.get(n) ?? []);
  // In inventory order, as the evidence has always listed them.
  if (found.length > 1) found.sort((a, b) => fact.packages.indexOf(a) - fact.packages.indexOf(b));
  const installed = found.filter((p) => p.installed);
  const ok = c.state === 'installed' ? installed.length > 0 : installed.length === 0;
  const observed = found.length
    ? found.map((p) => `${p.name} ${p.version} (${p.installed ? 'installed' : p.status})`).join(', ')
    : 'not installed';
  return { ok, evidence: [{ expected: c.state === 'installed' ? `${label} installed` : `${label} not installed`, observed, source }] };
}

/** CIS "module not available": an `install ... /bin/false` line, optionally a blacklist, and not loaded now. */
export function evalModule(c: ModuleCondition, env: Env): Outcome {
  const fact = factValue(env, 'kernel_modules') as z.infer<typeof KernelModulesFact>;
  const e = fact.modprobe[c.module];
  const problems: string[] = [];
  if (!e?.disabled) problems.push(e?.install ? `install runs ${e.install}` : 'no install /bin/false line');
  const rb = c.requireBlacklist;
  const requireBlacklist = rb && typeof rb === 'object' ? env.params[rb.param] === true : rb === true;
  if (requireBlacklist && !e?.blacklisted) problems.push('not blacklisted');
  if (fact.loaded?.includes(c.module)) problems.push('loaded now');
  const parts = [
    e?.disabled ? `install ${e.install}` : null,
    e?.blacklisted ? 'blacklisted' : null,
    fact.loaded === null ? 'loaded state unknown' : fact.loaded.includes(c.module) ? 'loaded' : 'not loaded',
  ];
  const observed = `${parts.filter(Boolean).join(', ')}${problems.length ? ` (${problems.join('; ')})` : ''}`;
  const expected = `${c.module}: install /bin/false${requireBlacklist ? ', blacklisted' : ''}, not loaded`;
  return {
    ok: problems.length === 0,
    evidence: [{ expected, observed, source: e ? `${e.file}:${e.line}` : fact.files.join(', ') || '/etc/modprobe.d' }],
  };
}

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
const ANY = new Set(['0.0.0.0', '::', '*']);

function listenerMatches(s: z.infer<typeof ListeningSocketsFact>[number], e: ListenerEntry): boolean {
  if (e.port !== undefined) {
    if (
      typeof e.port === 'number'
        ? s.port !== e.port
        : (() => {
            const [lo, hi] = e.port.split('-').map(Number) as [number, number];
            return s.port < lo || s.port > hi;
          })()
    )
      return false;
  }
  if (e.protocol && !(s.protocol === e.protocol || `${e.protocol}6` === s.protocol)) return false;
  if (e.address) {
    if (e.address === 'loopback' ? !LOOPBACK.test(s.address) : e.address === 'any' ? !ANY.has(s.address) : e.address !== s.address)
      return false;
  }
  if (e.process && s.process !== e.process) return false;
  return true;
}

/** Every listening socket must match an allow-list entry; the others are the evidence. */
export function evalListeners(c: ListenersCondition, env: Env): Outcome {
  const sockets = factValue(env, 'listening_sockets') as z.infer<typeof ListeningSocketsFact>;
  const allow = (Array.isArray(c.listeners) ? c.listeners : env.params[c.listeners.param]) as ListenerEntry[];
  const unexpected = sockets.filter((s) => !allow.some((e) => listenerMatches(s, e)));
  const expected = `only allow-listed listeners: ${allow.map((e) => `${e.protocol ?? '*'}/${e.port ?? '*'}${e.address ? `@${e.address}` : ''}${e.process ? `(${e.process})` : ''}`).join(', ') || '(none)'}`;
  const source = factSource(env, 'listening_sockets');
  if (!unexpected.length) return { ok: true, evidence: [{ expected, observed: `${sockets.length} listening, all allowed`, source }] };
  return {
    ok: false,
    evidence: unexpected.map((s) => ({
      expected,
      observed: `unexpected ${s.protocol} ${s.address}:${s.port}${s.process ? ` ${s.process}` : ''}${s.unit ? ` [${s.unit}]` : ''}${s.package ? ` from ${s.package}` : ''}`,
      source: s.pid ? `/proc/${s.pid}` : source,
    })),
  };
}
