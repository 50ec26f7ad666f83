/**
 * Reconnect delays: exponential with full jitter (uniform between a floor and the
 * current cap, 1 s doubling up to 5 min), so a fleet that lost its server does not come
 * back in lockstep. The runner resets it only once a connection has proved healthy, not
 * when a connection merely opens: a server that accepts and then drops every agent (as a
 * rate-limiting or failing server does) sees the same growing delays as one that refuses.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 5 * 60_000,
    private readonly random: () => number = Math.random,
    private readonly floorMs = 100,
    /** A server that asked for patience (4429, 1013) is left alone for at least this long. */
    private readonly patientMs = 30_000,
  ) {}

  /** The cap the next delay is drawn under. */
  get cap(): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
  }

  /** How many delays were drawn since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  next(): number {
    const cap = this.cap;
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.floorMs, Math.round(cap * this.random()));
  }

  /**
   * After a close that asks the agent to wait (rate limited, try again later): the cap jumps
   * to at least twice the patience floor and the delay is drawn in its upper half, so the
   * server gets at least `patientMs`, and a fleet told to wait still spreads out.
   */
  nextPatient(): number {
    while (this.cap < Math.min(this.maxMs, 2 * this.patientMs) && this.attempt < 30) this.attempt++;
    const cap = this.cap;
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.floorMs, Math.round(cap / 2 + (cap / 2) * this.random()));
  }

  /**
   * After a server asked the agent to move to another replica (CloseCode.rebalanced): a
   * moment, drawn between the floor and `baseMs` + 2 s so that the agents it lets go do
   * not come back at once; the backoff itself is left as it was.
   */
  moveDelay(): number {
    return Math.max(this.floorMs, Math.round((this.baseMs + 2000) * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
