/**
 * Reconnect delays: exponential, each drawn between half and all of the current cap,
 * so a fleet that lost its server does not come back in lockstep.
 */
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly baseMs = 500,
    private readonly maxMs = 60_000,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const cap = Math.min(this.maxMs, this.baseMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.round(cap * (0.5 + this.random() / 2));
  }

  reset(): void {
    this.attempt = 0;
  }
}
