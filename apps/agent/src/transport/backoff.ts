/**
 * Reconnect delays: exponential with full jitter (uniform between a floor and the
 * current cap, 1 s doubling up to 5 min), so a fleet that lost its server does not come
 * back in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 5 * 60_000,
    private readonly random: () => number = Math.random,
    private readonly floorMs = 100,
  ) {}

  /** The cap the next delay is drawn under. */
  get cap(): number {
    return Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
  }

  next(): number {
    const cap = this.cap;
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.floorMs, Math.round(cap * this.random()));
  }

  reset(): void {
    this.attempt = 0;
  }
}
