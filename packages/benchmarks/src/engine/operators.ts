import type { Operator, Transform } from '../schema';
import { compareVersions, type VersionScheme } from './versions';

export interface CompareOptions {
  ignoreCase?: boolean;
  scheme: VersionScheme;
}

const isMissing = (v: unknown) => v === undefined;

/** Numbers written as strings in config files compare as numbers when the expectation is a number. */
function norm(v: unknown, expected: unknown, ignoreCase: boolean | undefined): unknown {
  if (typeof expected === 'number' && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  if (typeof expected === 'string' && typeof v === 'number') return String(v);
  if (ignoreCase && typeof v === 'string') return v.toLowerCase();
  return v;
}

const lower = (v: unknown, ignoreCase: boolean | undefined) => (ignoreCase && typeof v === 'string' ? v.toLowerCase() : v);

function same(a: unknown, b: unknown, ignoreCase?: boolean): boolean {
  return norm(a, b, ignoreCase) === lower(b, ignoreCase);
}

function toNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function parseMode(v: unknown): number | undefined {
  return typeof v === 'string' && /^0?[0-7]{3,4}$/.test(v) ? parseInt(v, 8) : undefined;
}

/** Patterns come from rule content, a bounded set: each is compiled once. */
const regexes = new Map<string, RegExp>();
export function regexOf(pattern: string, flags = ''): RegExp {
  const key = `${flags}/${pattern}`;
  let re = regexes.get(key);
  if (!re) regexes.set(key, (re = new RegExp(pattern, flags)));
  return re;
}

const asArray = (v: unknown): unknown[] | undefined => (Array.isArray(v) ? v : undefined);

/**
 * One comparison. A missing observed value (undefined) satisfies only `absent` and `empty`:
 * negative operators such as `ne` or `not-in` do not pass on a value that is simply not
 * there; rules that want a default say so (`default`, or the sshd/sysctl defaults).
 */
export function compare(op: Operator, observed: unknown, expected: unknown, opts: CompareOptions): boolean {
  if (op === 'absent') return observed === undefined || observed === null;
  if (op === 'exists') return observed !== undefined && observed !== null;
  if (op === 'empty') return observed === undefined || observed === null || sizeOf(observed) === 0;
  if (op === 'not-empty') return observed !== undefined && observed !== null && sizeOf(observed) > 0;
  if (isMissing(observed)) return false;
  const ic = opts.ignoreCase;
  switch (op) {
    case 'eq':
      return same(observed, expected, ic);
    case 'ne':
      return !same(observed, expected, ic);
    case 'in':
      return (asArray(expected) ?? []).some((e) => same(observed, e, ic));
    case 'not-in':
      return !(asArray(expected) ?? []).some((e) => same(observed, e, ic));
    case 'lt':
    case 'le':
    case 'gt':
    case 'ge': {
      const a = toNumber(observed);
      const b = toNumber(expected);
      if (a === undefined || b === undefined) return false;
      return op === 'lt' ? a < b : op === 'le' ? a <= b : op === 'gt' ? a > b : a >= b;
    }
    case 'matches':
    case 'not-matches': {
      if (observed === null || typeof observed === 'object') return false;
      const hit = regexOf(String(expected), ic ? 'i' : '').test(String(observed));
      return op === 'matches' ? hit : !hit;
    }
    case 'version-lt':
    case 'version-le':
    case 'version-eq':
    case 'version-ge':
    case 'version-gt': {
      if (typeof observed !== 'string' || typeof expected !== 'string') return false;
      const c = compareVersions(opts.scheme, observed, expected);
      return { 'version-lt': c < 0, 'version-le': c <= 0, 'version-eq': c === 0, 'version-ge': c >= 0, 'version-gt': c > 0 }[op];
    }
    case 'mode-at-most': {
      const have = parseMode(observed);
      const max = parseMode(expected);
      // No permission bit beyond those allowed: 0600 is within 0640, 0604 is not.
      return have !== undefined && max !== undefined && (have & ~max) === 0;
    }
    case 'contains':
    case 'not-contains': {
      const hit = Array.isArray(observed)
        ? observed.some((o) => same(o, expected, ic))
        : typeof observed === 'string' && String(lower(observed, ic)).includes(String(lower(expected, ic)));
      return op === 'contains' ? hit : !hit;
    }
    case 'all-in':
    case 'none-in': {
      const list = asArray(observed);
      const set = asArray(expected) ?? [];
      if (!list) return false;
      return op === 'all-in' ? list.every((o) => set.some((e) => same(o, e, ic))) : !list.some((o) => set.some((e) => same(o, e, ic)));
    }
  }
  return false;
}

function sizeOf(v: unknown): number {
  if (typeof v === 'string' || Array.isArray(v)) return v.length;
  if (v && typeof v === 'object') return Object.keys(v).length;
  return 1;
}

/** sshd time format: `90`, `1m30s`, `2h`; undefined when it is not one. */
export function parseSeconds(v: string): number | undefined {
  const s = v.trim().toLowerCase();
  if (/^\d+$/.test(s)) return Number(s);
  const re = /(\d+)([smhdw])/gy;
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * (unit[m[2] as string] ?? 0);
    end = re.lastIndex;
  }
  return end === s.length && end > 0 ? total : undefined;
}

/** Reshape an observed value before comparing (e.g. `csv` turns `a,b` into a list). */
export function applyTransforms(value: unknown, transforms: readonly Transform[] | undefined): unknown {
  let v = value;
  for (const t of transforms ?? []) {
    if (v === undefined || v === null) return v;
    if (typeof t === 'object') {
      if ('split' in t) v = String(v).split(t.split);
      else if ('pluck' in t)
        v = Array.isArray(v) ? v.map((x) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[t.pluck] : undefined)) : undefined;
      else v = Array.isArray(v) ? v.at(t.index) : undefined;
      continue;
    }
    switch (t) {
      case 'lower':
        v = typeof v === 'string' ? v.toLowerCase() : Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x.toLowerCase() : x)) : v;
        break;
      case 'trim':
        v = String(v).trim();
        break;
      case 'number':
        v = toNumber(v) ?? v;
        break;
      case 'seconds':
        v = parseSeconds(String(v)) ?? v;
        break;
      case 'words':
        v = String(v)
          .split(/[\s,]+/)
          .filter(Boolean);
        break;
      case 'csv':
        v = String(v)
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean);
        break;
      case 'keys':
        v = v && typeof v === 'object' ? Object.keys(v) : [];
        break;
      case 'values':
        v = v && typeof v === 'object' ? Object.values(v) : [];
        break;
      case 'length':
        v = sizeOf(v);
        break;
      case 'duplicates': {
        // The values that occur more than once, each listed once (duplicate uids, names...).
        const seen = new Set<unknown>();
        const dup = new Set<unknown>();
        for (const x of Array.isArray(v) ? v : []) (seen.has(x) ? dup : seen).add(x);
        v = [...dup];
        break;
      }
    }
  }
  return v;
}
