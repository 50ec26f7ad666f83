import type { Logger } from 'pino';

/**
 * Logs what a server can make happen at will (malformed frames, stray acks, error messages)
 * at most once per window and per kind, with the number of occurrences: a server sending
 * thousands a second must not turn into gigabytes of log.
 */
export class ThrottledLog {
  private readonly kinds = new Map<
    string,
    { count: number; loggedAt: number; obj: object; msg: string; level: 'warn' | 'error' | 'info' }
  >();

  constructor(
    private readonly log: Logger,
    private readonly windowMs = 60_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  warn(kind: string, obj: object, msg: string): void {
    this.note('warn', kind, obj, msg);
  }

  error(kind: string, obj: object, msg: string): void {
    this.note('error', kind, obj, msg);
  }

  private note(level: 'warn' | 'error', kind: string, obj: object, msg: string): void {
    const k = this.kinds.get(kind);
    const now = this.now();
    if (!k) {
      this.kinds.set(kind, { count: 0, loggedAt: now, obj, msg, level });
      this.log[level]({ ...obj, occurrences: 1 }, msg);
      return;
    }
    k.count++;
    Object.assign(k, { obj, msg, level });
    if (now - k.loggedAt >= this.windowMs) this.emit(k, now);
  }

  private emit(k: { count: number; loggedAt: number; obj: object; msg: string; level: 'warn' | 'error' | 'info' }, now: number): void {
    this.log[k.level]({ ...k.obj, occurrences: k.count }, k.msg);
    k.count = 0;
    k.loggedAt = now;
  }

  /** Logs what was counted but not logged yet (when the connection ends). */
  flush(): void {
    for (const k of this.kinds.values()) if (k.count) this.emit(k, this.now());
    this.kinds.clear();
  }
}
