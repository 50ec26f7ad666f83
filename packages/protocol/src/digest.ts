import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every level, so equal facts always serialise (and so
 * digest) the same on the agent and on the server.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** Digest of a fact set: sha256 of its canonical JSON, base64url. */
export function factsDigest(facts: unknown, errors: unknown): string {
  return sha256(canonicalJson({ errors, facts }));
}

/** Names canonicalJson would not keep in their place (index-like keys go first, `__proto__` is dropped). */
const UNORDERED_NAME = /^(?:0|[1-9]\d*)$|^__proto__$/;

/**
 * The fact set's digest (as `factsDigest`) and one digest per top-level fact, from a single
 * serialisation of each fact: the set's canonical JSON is its facts' canonical JSON put
 * together in name order. The server uses the per-fact digests to tell which facts changed
 * without reading the stored values.
 */
export function factDigests(facts: Record<string, unknown>, errors: unknown): { digest: string; facts: Map<string, string> } {
  const perFact = new Map<string, string>();
  const names = Object.keys(facts).sort();
  const errorsText = canonicalJson(errors) as string | undefined;
  if (errorsText === undefined || names.some((n) => UNORDERED_NAME.test(n))) {
    for (const n of names) if (facts[n] !== undefined) perFact.set(n, valueDigest(facts[n]));
    return { digest: factsDigest(facts, errors), facts: perFact };
  }
  const whole = createHash('sha256').update(`{"errors":${errorsText},"facts":{`);
  let first = true;
  for (const n of names) {
    const text = canonicalJson(facts[n]) as string | undefined;
    if (text === undefined) continue;
    whole.update(`${first ? '' : ','}${JSON.stringify(n)}:${text}`);
    first = false;
    perFact.set(n, sha256(text));
  }
  return { digest: whole.update('}}').digest('base64url'), facts: perFact };
}

/** Digest of one fact's value: sha256 of its canonical JSON, base64url. */
export function valueDigest(value: unknown): string {
  return sha256(canonicalJson(value));
}
