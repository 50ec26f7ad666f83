import * as z from './zod-mini';
import { PROTOCOL_VERSIONS } from './limits';

/**
 * What every message shares: the envelope's version, timestamps and digests, and how one
 * frame is parsed. Written with `zod/mini`, like the server's messages (server-messages.ts):
 * the agent's long-running process parses those and nothing else, and loading zod's full API
 * there would cost it about 2.5 MB of its 50. The schemas are zod schemas all the same; the
 * agent's messages (messages.ts) use them inside the full API.
 */

export const Version = z.literal(PROTOCOL_VERSIONS);
// Not before 1970: no host observes facts earlier, and PostgreSQL refuses year 0000, which
// the ISO format allows (it reached the database and closed the socket with 1011).
export const Timestamp = z.iso
  .datetime({ offset: true })
  .check(z.refine((s: string) => Date.parse(s) >= 0, 'must be a time after 1970-01-01'));
/** A fact set's digest, base64url, in the form of the message's version (see `DigestVersion`). */
export const Digest = z.string().check(z.minLength(16), z.maxLength(128));

export type ParseResult<T> = { success: true; data: T } | { success: false; error: string };

const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (s: string) => s.includes('\u0000') || UNPAIRED_SURROGATE.test(s);

type Node = { value: unknown; key: string; up: Node | null };

/**
 * Where a decoded JSON value holds text PostgreSQL cannot store (a NUL character, or an
 * unpaired UTF-16 surrogate, which jsonb refuses): a dotted path, or null. JSON can carry
 * both as `\u` escapes; they used to reach the database and fail the whole write. Walks
 * without recursion, and builds the path only on a hit, as values may nest deeply.
 */
export function unstorableTextAt(value: unknown): string | null {
  const pathOf = (node: Node) => {
    const keys: string[] = [];
    for (let n: Node | null = node; n?.up; n = n.up) keys.push(n.key);
    return keys.reverse().join('.') || 'value';
  };
  const stack: Node[] = [{ value, key: '', up: null }];
  while (stack.length) {
    const node = stack.pop()!;
    if (typeof node.value === 'string') {
      if (unstorable(node.value)) return pathOf(node);
    } else if (node.value && typeof node.value === 'object') {
      for (const [key, child] of Object.entries(node.value)) {
        const next = { value: child, key, up: node };
        if (unstorable(key)) return pathOf(next);
        stack.push(next);
      }
    }
  }
  return null;
}

/** Parses one frame. Never throws: a bad frame yields a one-line reason. */
export function parseFrame<T>(schema: z.core.$ZodType<T>, raw: string | Buffer): ParseResult<T> {
  let value: unknown;
  const text = typeof raw === 'string' ? raw : raw.toString('utf8');
  try {
    value = JSON.parse(text);
  } catch {
    return { success: false, error: 'frame is not valid JSON' };
  }
  // Such text arrives as an escape (raw NULs are invalid JSON, and bytes decode to U+FFFD
  // rather than to a lone surrogate), so the walk is skipped for nearly every frame.
  const unstorableAt = /\\u(0000|d[89a-f])|[\ud800-\udfff]/i.test(text) ? unstorableTextAt(value) : null;
  if (unstorableAt) return { success: false, error: `${unstorableAt}: text must not contain NUL characters or unpaired surrogates` };
  const result = z.safeParse(schema, value);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { success: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}
