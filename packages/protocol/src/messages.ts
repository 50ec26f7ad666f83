import { z } from 'zod';
import { FactErrors, Facts } from './facts/index';
import { PROTOCOL_VERSIONS } from './limits';

/**
 * Agent <-> server messages. Every frame is one JSON envelope `{ version, type, ... }`.
 * Agent messages that carry facts have a sequence number; the server acknowledges the
 * highest one it has stored, and the agent keeps unacknowledged messages in its spool.
 */

const Version = z.literal(PROTOCOL_VERSIONS);
const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
// Not before 1970: no host observes facts earlier, and PostgreSQL refuses year 0000, which
// the ISO format allows (it reached the database and closed the socket with 1011).
const Timestamp = z.iso.datetime({ offset: true }).refine((s) => Date.parse(s) >= 0, 'must be a time after 1970-01-01');
/** A fact set's digest, base64url, in the form of the message's version (see `DigestVersion`). */
const Digest = z.string().min(16).max(128);

export const HelloPayload = z.object({
  agentVersion: z.string().max(64),
  hostname: z.string().min(1).max(255),
  machineId: z.string().max(64).nullable(),
  /** Seconds between collections; the server judges staleness against it. */
  intervalSeconds: z.number().int().min(1).max(86_400),
  /** Messages the agent's spool dropped (full) since it started: that history is coarser. */
  spoolDropped: z.number().int().nonnegative().default(0),
  sentAt: Timestamp,
});

/** Full facts of the host as observed at `observedAt`. */
export const SnapshotPayload = z.object({
  observedAt: Timestamp,
  digest: Digest,
  facts: Facts,
  errors: FactErrors,
});

/**
 * What changed since the facts whose digest is `baseDigest`, fact by fact: a fact in
 * `set` replaces the stored one whole, a name in `unset` is gone. `errors` replaces the
 * stored collector errors.
 */
export const DeltaPayload = z.object({
  observedAt: Timestamp,
  baseDigest: Digest,
  digest: Digest,
  set: Facts,
  unset: z.array(z.string().max(64)).max(256),
  errors: FactErrors,
});

/** Nothing changed: the facts still have this digest. */
export const DigestPayload = z.object({
  observedAt: Timestamp,
  digest: Digest,
});

export const AgentMessage = z.discriminatedUnion('type', [
  z.object({ version: Version, type: z.literal('hello'), payload: HelloPayload }),
  z.object({ version: Version, type: z.literal('snapshot'), seq: Seq, payload: SnapshotPayload }),
  z.object({ version: Version, type: z.literal('delta'), seq: Seq, payload: DeltaPayload }),
  z.object({ version: Version, type: z.literal('digest'), seq: Seq, payload: DigestPayload }),
]);
export type AgentMessage = z.infer<typeof AgentMessage>;
export type SequencedAgentMessage = Exclude<AgentMessage, { type: 'hello' }>;

export const WelcomePayload = z.object({
  hostId: z.string(),
  /** Present once, right after enrollment: the agent's own credential. Store it, never log it. */
  credential: z.string().optional(),
  /** Highest sequence number the server has stored for this agent. */
  lastSeq: z.number().int().nonnegative(),
  /** Digest of the facts the server holds for this host, if any. */
  digest: Digest.nullable(),
  serverTime: Timestamp,
});

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ version: Version, type: z.literal('welcome'), payload: WelcomePayload }),
  /** Everything up to and including `seq` is stored (or was a replay). */
  z.object({ version: Version, type: z.literal('ack'), seq: z.number().int().nonnegative() }),
  /** The server lacks the base of a delta or digest: send a full snapshot. */
  z.object({ version: Version, type: z.literal('resync'), payload: z.object({ reason: z.string() }) }),
  /** Settings the server wants this agent to use from now on. */
  z.object({
    version: Version,
    type: z.literal('settings'),
    payload: z.object({ intervalSeconds: z.number().int().min(1).max(86_400).optional() }),
  }),
  z.object({
    version: Version,
    type: z.literal('error'),
    payload: z.object({ code: z.string(), message: z.string(), fatal: z.boolean() }),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

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
export function parseFrame<T>(schema: z.ZodType<T>, raw: string | Buffer): ParseResult<T> {
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
  const result = schema.safeParse(value);
  if (result.success) return { success: true, data: result.data };
  const issue = result.error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'message';
  return { success: false, error: `${where}: ${issue?.message ?? 'invalid'}` };
}

export const parseAgentMessage = (raw: string | Buffer) => parseFrame(AgentMessage, raw);
export const parseServerMessage = (raw: string | Buffer) => parseFrame(ServerMessage, raw);
