import { canonicalJson } from '@plumbline/protocol/digest';
import { sameJson } from './fact-diff';

/**
 * Fact drift as an operator reads it: one event per real change. Where the fact history
 * (`diffFacts`) records every changed leaf (`.value`, `.args`, `.line` of one sshd setting),
 * drift takes the setting as the unit: one edited line is one event carrying the whole
 * setting before and after. Changes of position alone (line numbers, the order of a list)
 * stay in the history and raise no drift.
 */
export interface FactDriftEvent {
  fact: string;
  /** The dotted path of the changed unit (`sshd_config.settings.permitrootlogin`). */
  path: string;
  /** The keys of `path` (keys may hold dots themselves: sysctl names). */
  keys: string[];
  op: 'add' | 'remove' | 'replace';
  before: unknown;
  after: unknown;
  /** What changed, for a person: `PermitRootLogin`, `runtime net.ipv4.ip_forward`. */
  label: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown) => v === null || typeof v !== 'object';

/** Keys that say where a value was written, not what it is: `line`, `mode_line`, `lineno`. */
export const isPositionKey = (key: string) => key === 'line' || key === 'lineno' || key.endsWith('_line');

/** A value with every position key removed and lists of plain values sorted: what is compared. */
export function withoutPositions(v: unknown): unknown {
  if (Array.isArray(v)) {
    const items = v.map(withoutPositions);
    return items.every(isScalar) ? [...items].sort((a, b) => String(a).localeCompare(String(b))) : items;
  }
  if (!isObject(v)) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) if (!isPositionKey(k) && x !== undefined) out[k] = withoutPositions(x);
  return out;
}

/** Equal but for positions (line numbers, the order of lists). */
export const samePlace = (a: unknown, b: unknown) => sameJson(withoutPositions(a ?? null), withoutPositions(b ?? null));

/**
 * A setting: an object carrying a `value` (or `values`), or one whose fields are all plain
 * values or lists of them. Such an object changes as one unit.
 */
function isUnit(v: unknown): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  if ('value' in v || 'values' in v) return true;
  return Object.values(v).every((x) => isScalar(x) || (Array.isArray(x) && x.every(isScalar)));
}

/** Containers whose name adds nothing to a label (`settings` of sshd_config). */
const QUIET = new Set(['settings']);

function labelOf(keys: string[], before: unknown, after: unknown): string {
  const named = [after, before].find(isObject) as Record<string, unknown> | undefined;
  const own = named && typeof named.keyword === 'string' ? named.keyword : undefined;
  const parts = keys.slice(1).filter((k) => !QUIET.has(k));
  if (own) parts[parts.length - 1] = own;
  return parts.join(' ') || (keys[0] ?? '');
}

/** Fact drift between two fact sets; `changed` limits the walk to the facts known to differ. */
export function factDriftEvents(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  changed?: ReadonlySet<string>,
): FactDriftEvent[] {
  const out: FactDriftEvent[] = [];
  const names = changed ? [...changed] : [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const fact of names.sort()) walk(fact, [fact], before[fact], after[fact], out);
  return out;
}

function push(out: FactDriftEvent[], fact: string, keys: string[], op: FactDriftEvent['op'], a: unknown, b: unknown) {
  out.push({ fact, path: keys.join('.'), keys, op, before: a ?? null, after: b ?? null, label: labelOf(keys, a, b) });
}

function walk(fact: string, keys: string[], a: unknown, b: unknown, out: FactDriftEvent[]): void {
  if (a === undefined && b === undefined) return;
  if (samePlace(a, b)) return;
  if (a === undefined || a === null) return push(out, fact, keys, 'add', null, b);
  if (b === undefined || b === null) return push(out, fact, keys, 'remove', a, null);
  if (isUnit(a) || isUnit(b) || !isObject(a) || !isObject(b)) {
    if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].some((x) => x !== null && typeof x === 'object')) {
      // A list of records (sockets, Match blocks) is a set: an element that appears or goes,
      // compared without positions, so a shifted Match block is no change.
      const key = (x: unknown) => canonicalJson(withoutPositions(x));
      const left = new Map(a.map((x) => [key(x), x]));
      const right = new Map(b.map((x) => [key(x), x]));
      for (const [k, x] of left) if (!right.has(k)) push(out, fact, keys, 'remove', x, null);
      for (const [k, x] of right) if (!left.has(k)) push(out, fact, keys, 'add', null, x);
      return;
    }
    return push(out, fact, keys, 'replace', a, b);
  }
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    walk(fact, [...keys, key], a[key], b[key], out);
  }
}

/** The value a setting stands for, written for a person. */
export function valueText(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (isScalar(v)) return String(v);
  if (Array.isArray(v)) return v.map((x) => valueText(x) ?? '').join(v.every(isScalar) ? ' ' : '; ');
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.values) && o.values.length > 1) return o.values.map(String).join(', ');
  if ('value' in o) return valueText(o.value) ?? '(none)';
  const fields = Object.entries(o)
    .filter(([k, x]) => !isPositionKey(k) && k !== 'file' && k !== 'source' && isScalar(x) && x !== null && x !== '')
    .slice(0, 6)
    .map(([k, x]) => `${k}=${String(x)}`);
  return fields.length ? fields.join(' ') : canonicalJson(o).slice(0, 200);
}

/** Where a setting was written (`/etc/ssh/sshd_config:3`), when it says. */
export function locationOf(v: unknown): string | null {
  if (!isObject(v)) return null;
  const file = typeof v.file === 'string' ? v.file : typeof v.source === 'string' && v.source.startsWith('/') ? v.source : null;
  if (!file) return null;
  return typeof v.line === 'number' ? `${file}:${v.line}` : file;
}

export interface DriftText {
  summary: string;
  beforeText: string | null;
  afterText: string | null;
  location: string | null;
}

/** One drift event written for a person, from what is stored. */
export function describeDrift(e: {
  kind: string;
  path: string | null;
  label: string | null;
  ruleId: string | null;
  ruleTitle: string | null;
  before: unknown;
  after: unknown;
}): DriftText {
  if (e.kind === 'compliance' || (e.kind === 'baseline' && e.ruleId)) {
    const beforeText = valueText(e.before);
    const afterText = valueText(e.after);
    const what = e.ruleTitle ? `${e.ruleTitle} (${e.ruleId})` : (e.ruleId ?? 'rule');
    return {
      summary: `${what}: ${beforeText ?? 'not evaluated'} -> ${afterText ?? 'not evaluated'}`,
      beforeText,
      afterText,
      location: null,
    };
  }
  const beforeText = valueText(e.before);
  const afterText = valueText(e.after);
  const location = locationOf(e.after) ?? locationOf(e.before);
  const label = e.label ?? e.path ?? e.kind;
  const fact = e.path?.split('.')[0];
  const prefix = e.label && fact && e.label !== fact ? `${fact}: ${label}` : `${label}:`;
  const change =
    beforeText === null ? `added ${afterText ?? ''}` : afterText === null ? `removed ${beforeText}` : `${beforeText} -> ${afterText}`;
  return { summary: `${prefix} ${change}`.trim() + (location ? `, ${location}` : ''), beforeText, afterText, location };
}
