import { z } from 'zod';
import { FactErrors, Facts } from './facts/index';
import { Digest, parseFrame, Timestamp, Version } from './frame';

export { parseFrame, unstorableTextAt, type ParseResult } from './frame';
export { parseServerMessage, ServerMessage, WelcomePayload } from './server-messages';

/**
 * Agent <-> server messages. Every frame is one JSON envelope `{ version, type, ... }`.
 * Agent messages that carry facts have a sequence number; the server acknowledges the
 * highest one it has stored, and the agent keeps unacknowledged messages in its spool.
 */

const Seq = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

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

export const parseAgentMessage = (raw: string | Buffer) => parseFrame(AgentMessage, raw);
