import * as z from './zod-mini';
import { Digest, parseFrame, Timestamp, Version } from './frame';

/**
 * Server -> agent messages (the agent's side: messages.ts). In `zod/mini` for the agent's
 * long-running process, see frame.ts.
 */

const Count = z.number().check(z.int(), z.nonnegative());

export const WelcomePayload = z.object({
  hostId: z.string(),
  /** Present once, right after enrollment: the agent's own credential. Store it, never log it. */
  credential: z.optional(z.string()),
  /** Highest sequence number the server has stored for this agent. */
  lastSeq: Count,
  /** Digest of the facts the server holds for this host, if any. */
  digest: z.nullable(Digest),
  serverTime: Timestamp,
});

export const ServerMessage = z.discriminatedUnion('type', [
  z.object({ version: Version, type: z.literal('welcome'), payload: WelcomePayload }),
  /** Everything up to and including `seq` is stored (or was a replay). */
  z.object({ version: Version, type: z.literal('ack'), seq: Count }),
  /** The server lacks the base of a delta or digest: send a full snapshot. */
  z.object({ version: Version, type: z.literal('resync'), payload: z.object({ reason: z.string() }) }),
  /** Settings the server wants this agent to use from now on. */
  z.object({
    version: Version,
    type: z.literal('settings'),
    payload: z.object({ intervalSeconds: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(86_400))) }),
  }),
  z.object({
    version: Version,
    type: z.literal('error'),
    payload: z.object({ code: z.string(), message: z.string(), fatal: z.boolean() }),
  }),
]);
export type ServerMessage = z.infer<typeof ServerMessage>;

export const parseServerMessage = (raw: string | Buffer) => parseFrame(ServerMessage, raw);
