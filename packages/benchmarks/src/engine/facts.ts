import { canonicalJson } from '@plumbline/protocol/digest';
import type { FactSet } from '@plumbline/protocol/facts';
import { FactUnavailable, type Env } from './types';

/** Where each fact comes from, for evidence when the value itself carries no file and line. */
const FACT_SOURCES: Record<string, string> = {
  host: '/etc/os-release',
  sshd_config: '/etc/ssh/sshd_config',
  listening_sockets: '/proc/net/{tcp,tcp6,udp,udp6}',
  sysctl: '/proc/sys + sysctl.d',
  kernel_modules: '/proc/modules + modprobe.d',
  users: '/etc/passwd + /etc/shadow',
  groups: '/etc/group',
  login_defs: '/etc/login.defs',
  files: 'stat',
};

export function factSource(env: Env, name: string): string {
  if (name === 'packages') {
    const m = (env.facts.facts.packages as { manager?: string | null } | undefined)?.manager;
    return m === 'rpm' ? 'rpm -qa' : '/var/lib/dpkg/status';
  }
  return FACT_SOURCES[name] ?? `fact ${name}`;
}

/** The collected value of a fact; a failed or absent fact stops the rule with `error`. */
export function factValue(env: Env, name: string): unknown {
  const facts = env.facts.facts as Record<string, unknown>;
  if (facts[name] !== undefined) return facts[name];
  const err = (env.facts.errors as FactSet['errors'])[name];
  if (err) {
    throw new FactUnavailable(name, {
      expected: `fact ${name} collected`,
      observed: `${err.code}: ${err.message}`,
      source: err.path ?? factSource(env, name),
    });
  }
  throw new FactUnavailable(name, { expected: `fact ${name} collected`, observed: 'not collected by this agent', source: `fact ${name}` });
}

export function factState(env: Env, name: string): 'present' | 'error' | 'absent' {
  if ((env.facts.facts as Record<string, unknown>)[name] !== undefined) return 'present';
  return env.facts.errors[name] ? 'error' : 'absent';
}

/** Follow a path into a value, remembering the innermost file/line (or source) met on the way. */
export function walk(value: unknown, segments: (string | number)[]): { value: unknown; source?: string } {
  let v: unknown = value;
  let file: string | undefined;
  let line: number | undefined;
  let source: string | undefined;
  const note = (o: unknown) => {
    if (!o || typeof o !== 'object' || Array.isArray(o)) return;
    const r = o as Record<string, unknown>;
    if (typeof r.file === 'string') file = r.file;
    if (typeof r.line === 'number') line = r.line;
    if (typeof r.source === 'string' && r.source.startsWith('/')) source = r.source;
  };
  note(v);
  for (const seg of segments) {
    if (v === null || v === undefined || typeof v !== 'object') return { value: undefined, source: where(file, line, source) };
    v = (v as Record<string | number, unknown>)[seg];
    note(v);
  }
  return { value: v, source: where(file, line, source) };
}

function where(file?: string, line?: number, source?: string): string | undefined {
  if (file && line) return `${file}:${line}`;
  return source ?? file;
}

/** A short, readable rendering of a value for evidence. */
export function show(v: unknown): string {
  if (v === undefined) return '(not set)';
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (Array.isArray(v) && v.every((x) => typeof x !== 'object')) return v.length ? v.map(String).join(', ') : '(none)';
  // Keys sorted: a fact read back from the database (jsonb orders keys its own way) must read,
  // and digest, the same as the fact the agent sent.
  const s = canonicalJson(v);
  return s.length > 160 ? `${s.slice(0, 157)}...` : s;
}
