/** Limits shared by agent and server, so both sides refuse the same things. */
/**
 * The protocol version this build speaks. Servers also accept every version in
 * PROTOCOL_VERSIONS and answer each message in its own version, so agents of the previous
 * release keep working while the fleet upgrades (servers first). Version 2 changed only how
 * a fact set's digest is formed (see `DigestVersion`).
 */
export const PROTOCOL_VERSION = 2;
export const PROTOCOL_VERSIONS = [1, 2] as const;
export type ProtocolVersion = (typeof PROTOCOL_VERSIONS)[number];
/** Largest WebSocket frame either side accepts (1 MiB). Larger frames close with 1009. */
export const MAX_FRAME_BYTES = 1024 * 1024;
/** WebSocket close codes Plumbline uses besides the standard ones. */
export const CloseCode = {
  /** A frame that is not a valid, known message. */
  malformed: 4400,
  /** The credential was revoked while the agent was connected. */
  revoked: 4401,
  /** A message arrived before hello, or hello came twice. */
  protocol: 4409,
  /** The agent sends faster than its rate limit allows. */
  rateLimited: 4429,
  /**
   * This server holds more than its share of the agents of every replica on its database:
   * reconnect in a moment, and the load balancer will most likely pick another replica.
   */
  rebalanced: 4307,
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** Standard: the message is too big to process. */
  tooBig: 1009,
} as const;

/**
 * An agent credential as the server issues them (`pla_` and 43 base64url characters) or
 * any secret in that alphabet and a sane length: what an agent accepts in a welcome and
 * keeps. Nothing outside it can go into an Authorization header safely (CR, LF, non-ASCII).
 */
export const AGENT_CREDENTIAL = /^[A-Za-z0-9_-]{32,256}$/;
/**
 * Sequence numbers stop well below 2^53: at one message a second, 2^52 lasts 142 million
 * years, and a counter this far from the end never overflows into numbers JSON and
 * JavaScript round (a welcome claiming more is refused).
 */
export const MAX_SEQ = 2 ** 52;
