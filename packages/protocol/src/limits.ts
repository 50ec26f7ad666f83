/** Limits shared by agent and server, so both sides refuse the same things. */
export const PROTOCOL_VERSION = 1;
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
  /** The server is shutting down; reconnect later. */
  goingAway: 1001,
  /** Standard: the message is too big to process. */
  tooBig: 1009,
} as const;
