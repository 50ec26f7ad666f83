import type { Logger } from 'pino';

/**
 * Answers the server's requests for a full snapshot, coalesced: however many arrive, at most
 * one snapshot goes out per `gapMs` (the collection interval), and each one is logged once
 * with the number of requests it answers. A server (or anyone on the path) sending resyncs in
 * a loop would otherwise get a full snapshot, and a log line, for every one.
 */
export class ResyncGate {
  private asks = 0;
  private reason = '';
  private lastAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly answer: () => Promise<void>,
    private readonly gapMs: () => number,
    private readonly log: Logger,
    private readonly now: () => number = () => performance.now(),
  ) {}

  request(reason: string): void {
    if (this.asks++ === 0) this.reason = reason.slice(0, 200);
    this.arm();
  }

  private arm(): void {
    if (this.timer || this.running || !this.asks) return;
    this.timer = setTimeout(() => void this.fire(), Math.max(0, this.lastAt + this.gapMs() - this.now()));
  }

  /** Forgets pending requests (the connection ended: the next welcome decides afresh). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.asks = 0;
  }

  private async fire(): Promise<void> {
    this.timer = null;
    const asks = this.asks;
    this.asks = 0;
    if (!asks) return;
    this.running = true;
    this.lastAt = this.now();
    this.log.info({ reason: this.reason, requests: asks }, 'server asked for a full snapshot');
    try {
      await this.answer();
    } catch (err) {
      this.log.error({ err }, 'sending the requested snapshot failed');
    } finally {
      this.running = false;
      // Requests that came while it was being sent wait for the next slot.
      this.arm();
    }
  }
}
