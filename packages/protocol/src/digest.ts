import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal facts always serialise (and so
 * digest) the same on the agent and on the server. Its definition is `JSON.stringify` with a
 * replacer that gives each object's keys in sorted order (`canonicalJsonByReplacer`). This
 * writes the same text from a sorted copy and `JSON.stringify` without a replacer, which V8
 * runs natively end to end: calling the replacer for every value was about 40% of the time,
 * and digesting a snapshot was a sixth of the server's CPU for it. A value with a `toJSON`
 * (a Date) and keys a sorted copy would move or drop (index-like names, `__proto__`) take the
 * definition's path; the test holds the two to the same text for any value.
 */
export function canonicalJson(value: unknown): string {
  let copy: unknown;
  try {
    copy = sortedCopy(value);
  } catch (err) {
    if (err !== NOT_PLAIN) throw err;
    return canonicalJsonByReplacer(value);
  }
  return JSON.stringify(copy);
}

/** The definition of canonicalJson (see there). */
export function canonicalJsonByReplacer(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

/** Names a sorted copy would not keep in sorted order (index-like keys go first, `__proto__` is dropped). */
const MOVED_NAME = /^(?:0|[1-9]\d*)$|^__proto__$/;
const NOT_PLAIN = new Error('not plain JSON data');

/** `v` with every object's keys in sorted order; throws NOT_PLAIN where that would not serialise as the definition does. */
function sortedCopy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v;
  // A Date, say: the definition writes what toJSON gives.
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') throw NOT_PLAIN;
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) out[i] = sortedCopy(v[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const k of sortNames(Object.keys(v))) {
    if (MOVED_NAME.test(k)) throw NOT_PLAIN;
    out[k] = sortedCopy((v as Record<string, unknown>)[k]);
  }
  return out;
}

/**
 * `names` sorted in place as `Array.prototype.sort` sorts strings (by UTF-16 code units).
 * Most objects of a fact set have a handful of keys: an insertion sort allocates nothing,
 * where the built-in sort copies each array it sorts (it was a fifth of what digesting a
 * snapshot allocated).
 */
function sortNames(names: string[]): string[] {
  if (names.length > 32) return names.sort();
  for (let i = 1; i < names.length; i++) {
    const name = names[i] as string;
    let j = i - 1;
    while (j >= 0 && (names[j] as string) > name) {
      names[j + 1] = names[j] as string;
      j--;
    }
    names[j + 1] = name;
  }
  return names;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * How a fact set's digest is formed, by protocol version (the `version` of the message that
 * carries it):
 * - 1: sha256 of the canonical JSON of `{ errors, facts }`.
 * - 2: sha256 of the canonical JSON of `{ errors, facts }` with every fact's value replaced by
 *   its own digest (`valueDigest`). It commits to the same facts, but checking a delta needs
 *   only the digests of the facts that did not change, not their values.
 */
export type DigestVersion = 1 | 2;

/** Digest of a fact set: sha256 of its canonical JSON, base64url (version 1). */
export function factsDigest(facts: unknown, errors: unknown): string {
  return sha256(canonicalJson({ errors, facts }));
}

/** Digest of a fact set from its facts' digests (version 2). */
export function digestOfDigests(perFact: ReadonlyMap<string, string>, errors: unknown): string {
  return sha256(canonicalJson({ errors, facts: Object.fromEntries(perFact) }));
}

/** Digest of a fact set in the form of protocol `version`. */
export function setDigest(version: DigestVersion, facts: Record<string, unknown>, errors: unknown): string {
  return version === 1 ? factsDigest(facts, errors) : factDigests(facts, errors, 2).digest;
}

/**
 * The fact set's digest (of `version`) and one digest per top-level fact, from a single
 * serialisation of each fact: in version 1, the set's canonical JSON is its facts' canonical
 * JSON put together in name order. The server uses the per-fact digests to tell which facts
 * changed without reading the stored values.
 */
export function factDigests(
  facts: Record<string, unknown>,
  errors: unknown,
  version: DigestVersion,
  /** Receives each fact's canonical JSON, the text its digest is of (for a caller that sends it too). */
  texts?: Map<string, string>,
  /** Facts whose canonical JSON and digest the caller already has (`digestedValue` of the very value). */
  given?: ReadonlyMap<string, DigestedValue>,
): { digest: string; facts: Map<string, string> } {
  const perFact = new Map<string, string>();
  const names = Object.keys(facts).sort();
  const digestOf = (n: string) => {
    const known = given?.get(n);
    const text = known ? known.text : canonicalJson(facts[n]);
    texts?.set(n, text);
    return known ? known.digest : sha256(text);
  };
  if (version === 2) {
    for (const n of names) if (facts[n] !== undefined) perFact.set(n, digestOf(n));
    return { digest: digestOfDigests(perFact, errors), facts: perFact };
  }
  const errorsText = canonicalJson(errors) as string | undefined;
  if (errorsText === undefined || names.some((n) => MOVED_NAME.test(n))) {
    for (const n of names) if (facts[n] !== undefined) perFact.set(n, digestOf(n));
    return { digest: factsDigest(facts, errors), facts: perFact };
  }
  const whole = createHash('sha256').update(`{"errors":${errorsText},"facts":{`);
  let first = true;
  for (const n of names) {
    const known = given?.get(n);
    const text = known ? known.text : (canonicalJson(facts[n]) as string | undefined);
    if (text === undefined) continue;
    texts?.set(n, text);
    whole.update(`${first ? '' : ','}${JSON.stringify(n)}:${text}`);
    first = false;
    perFact.set(n, known ? known.digest : sha256(text));
  }
  return { digest: whole.update('}}').digest('base64url'), facts: perFact };
}

/** A fact's canonical JSON and its digest (what `valueDigest` gives). */
export interface DigestedValue {
  text: string;
  digest: string;
}

export function digestedValue(value: unknown): DigestedValue {
  const text = canonicalJson(value);
  return { text, digest: sha256(text) };
}

/** Digest of one fact's value: sha256 of its canonical JSON, base64url. */
export function valueDigest(value: unknown): string {
  return sha256(canonicalJson(value));
}
