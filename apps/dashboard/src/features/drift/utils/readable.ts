import type { DriftItem } from '@plumbline/protocol/api';

/**
 * Drift as a person reads it. The server may send `beforeText` / `afterText` / `summary` /
 * `location` (its own rendering); where it does not, the structured values are written out
 * here by shape: a setting as its value, a socket as `tcp 0.0.0.0:22 (sshd)`, file metadata as
 * `0644 root:root`, a verdict as Pass/Fail. Never raw JSON: the detail view shows the structure.
 */
export type ReadableDriftItem = DriftItem & {
  summary?: string;
  beforeText?: string | null;
  afterText?: string | null;
  location?: string | null;
  baseline?: 'differs' | 'restored' | null;
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX = 120;

function clip(text: string): string {
  return text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text;
}

function scalar(v: unknown): string {
  if (v === null || v === undefined) return 'none';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v === '' ? '(empty)' : v;
  if (typeof v === 'number') return String(v);
  return readableValue(v);
}

/** One readable line for any fact value. */
export function readableValue(value: unknown): string {
  if (value === null || value === undefined) return 'absent';
  if (typeof value !== 'object') return clip(scalar(value));
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return clip(value.map((v) => (isObj(v) ? readableValue(v) : scalar(v))).join(value.every((v) => !isObj(v)) ? ' ' : '; '));
  }
  const o = value as Obj;
  // A listening socket.
  if (typeof o.protocol === 'string' && typeof o.port === 'number') {
    const who = typeof o.process === 'string' ? ` (${o.process})` : '';
    return clip(`${o.protocol} ${String(o.address ?? '*')}:${o.port}${who}`);
  }
  // File metadata.
  if ('exists' in o && 'mode' in o) {
    if (o.exists === false) return 'missing';
    return clip(
      `${String(o.mode ?? '?')} ${String(o.owner ?? o.uid ?? '?')}:${String(o.group ?? o.gid ?? '?')}${o.type && o.type !== 'file' ? ` ${String(o.type)}` : ''}`,
    );
  }
  // A setting (sshd, login.defs, journald...): its value, with the other words of the line.
  if (typeof o.value === 'string' || typeof o.value === 'number' || typeof o.value === 'boolean') {
    const args = Array.isArray(o.args) && o.args.length > 1 ? o.args.join(' ') : scalar(o.value);
    return clip(typeof o.keyword === 'string' ? `${o.keyword} ${args}` : args);
  }
  // A package.
  if (typeof o.name === 'string' && typeof o.version === 'string') return clip(`${o.name} ${o.version}`);
  const entries = Object.entries(o).filter(([k, v]) => v !== null && v !== undefined && k !== 'line' && k !== 'file');
  if (entries.length === 0) return 'empty';
  return clip(entries.map(([k, v]) => `${k} ${isObj(v) || Array.isArray(v) ? readableValue(v) : scalar(v)}`).join(', '));
}

/** file:line of a setting, when the value says where it comes from. */
export function locationOf(value: unknown): string | null {
  if (!isObj(value)) return null;
  const src = isObj(value.source) ? value.source : value;
  if (typeof src.file !== 'string') return null;
  return typeof src.line === 'number' ? `${src.file}:${src.line}` : src.file;
}

const VERDICT: Record<string, string> = { pass: 'Pass', fail: 'Fail', notapplicable: 'Not applicable', error: 'Error' };

export function beforeText(d: ReadableDriftItem): string {
  if (d.beforeText !== undefined) return d.beforeText ?? 'absent';
  if (d.kind === 'compliance' && typeof d.before === 'string') return VERDICT[d.before] ?? d.before;
  return readableValue(d.before);
}

export function afterText(d: ReadableDriftItem): string {
  if (d.afterText !== undefined) return d.afterText ?? 'absent';
  if (d.kind === 'compliance' && typeof d.after === 'string') return VERDICT[d.after] ?? d.after;
  return readableValue(d.after);
}

export function whereOf(d: ReadableDriftItem): string | null {
  if (d.location !== undefined) return d.location;
  return locationOf(d.after) ?? locationOf(d.before);
}

/** `sshd_config.settings.permitrootlogin` -> `sshd_config › settings › permitrootlogin`. */
export function readablePath(path: string | null): string {
  if (!path) return '—';
  return path.split('.').join(' › ');
}

/** Regression red, improvement green, anything else a neutral change. The server says `fix` or `improvement`. */
export function directionOf(direction: string): 'regression' | 'improvement' | 'change' {
  if (direction === 'regression') return 'regression';
  if (direction === 'fix' || direction === 'improvement') return 'improvement';
  return 'change';
}
