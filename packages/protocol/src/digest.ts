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

/** Digest of a fact set: sha256 of its canonical JSON, base64url. */
export function factsDigest(facts: unknown, errors: unknown): string {
  return createHash('sha256').update(canonicalJson({ errors, facts })).digest('base64url');
}
