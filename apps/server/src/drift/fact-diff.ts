import { canonicalJson } from '@plumbline/protocol/digest';

/** One changed fact path: `sshd_config.settings.permitrootlogin.value` from 'no' to 'yes'. */
export interface FactDiff {
  fact: string;
  path: string;
  op: 'add' | 'remove' | 'replace';
  before: unknown;
  after: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/**
 * Equal as JSON documents: key order does not matter and a key holding `undefined` is no
 * key (as JSON.stringify has it). Walks both values without building strings, which is
 * what makes comparing 26 KB of facts per message cheap.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    // JSON has no undefined: a missing array slot and null serialise alike.
    return (a === undefined || a === null) && (b === undefined || b === null) && Array.isArray(a) === Array.isArray(b);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof Date || b instanceof Date) return JSON.stringify(a) === JSON.stringify(b);
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const k in ao) {
    if (ao[k] === undefined) continue;
    count++;
    if (!sameJson(ao[k], bo[k])) return false;
  }
  for (const k in bo) if (bo[k] !== undefined) count--;
  return count === 0;
}

/**
 * The top-level facts whose value or collection error differs, compared exactly (an array's
 * order and repeats count): what decides which rules are judged again. Values are compared
 * by their digests (see `factDigests`); a stored fact without one is compared by value.
 */
export function changedFacts(
  before: { digests: ReadonlyMap<string, string | null>; values: Record<string, unknown>; errors: Record<string, unknown> },
  after: { facts: Record<string, unknown>; digests: ReadonlyMap<string, string>; errors: Record<string, unknown> },
): Set<string> {
  const out = new Set<string>();
  for (const name of new Set([...before.digests.keys(), ...after.digests.keys()])) {
    const was = before.digests.get(name);
    const now = after.digests.get(name);
    if (was === undefined || now === undefined) out.add(name);
    else if (was === null ? !sameJson(before.values[name], after.facts[name]) : was !== now) out.add(name);
  }
  for (const name of new Set([...Object.keys(before.errors), ...Object.keys(after.errors)])) {
    if (!sameJson(before.errors[name], after.errors[name])) out.add(name);
  }
  return out;
}

/**
 * Path-level differences between two fact sets. Objects are compared key by key down to
 * their leaves. Arrays of objects are compared as sets (a listening socket appears or
 * disappears: order carries no meaning in facts); arrays of plain values, such as a
 * setting's arguments, are one value.
 */
export function diffFacts(
  before: Record<string, unknown>,
  after: Record<string, unknown>,
  /** The facts that differ, when the caller already knows (`changedFacts`): the others are not walked again. */
  changed?: ReadonlySet<string>,
): FactDiff[] {
  const out: FactDiff[] = [];
  const names = changed ? [...changed] : [...new Set([...Object.keys(before), ...Object.keys(after)])];
  for (const fact of names.sort()) {
    // Most facts of a snapshot are unchanged: one cheap walk settles each before any key sorting or serialising.
    if (!changed && before[fact] !== undefined && after[fact] !== undefined && sameJson(before[fact], after[fact])) continue;
    walk(fact, fact, before[fact], after[fact], out);
  }
  return out;
}

function walk(fact: string, path: string, a: unknown, b: unknown, out: FactDiff[]): void {
  if (a === undefined && b === undefined) return;
  if (a === undefined) return void out.push({ fact, path, op: 'add', before: null, after: b });
  if (b === undefined) return void out.push({ fact, path, op: 'remove', before: a, after: null });
  if (isObject(a) && isObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(fact, `${path}.${key}`, a[key], b[key], out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && [...a, ...b].some((x) => x !== null && typeof x === 'object')) {
    if (sameJson(a, b)) return;
    const left = new Map(a.map((x) => [canonicalJson(x), x]));
    const right = new Map(b.map((x) => [canonicalJson(x), x]));
    for (const [k, x] of left) if (!right.has(k)) out.push({ fact, path, op: 'remove', before: x, after: null });
    for (const [k, x] of right) if (!left.has(k)) out.push({ fact, path, op: 'add', before: null, after: x });
    return;
  }
  if (!sameJson(a, b)) out.push({ fact, path, op: 'replace', before: a, after: b });
}
