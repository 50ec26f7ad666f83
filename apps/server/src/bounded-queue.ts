/** Thrown when a BoundedQueue has no room; `retryAfterSeconds` estimates when it will. */
export class QueueFull extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`queue full; try again in ${retryAfterSeconds} s`);
  }
}

/**
 * Runs at most `concurrency` jobs at once, lets at most `maxWaiting` more wait their turn,
 * and refuses the rest at once (QueueFull): what the jobs hold (memory, for password
 * hashes) stays bounded whatever the burst.
 */
export class BoundedQueue {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** The most jobs that ever ran at once. */
  peak = 0;
  /** Jobs refused because the queue was full. */
  refused = 0;
  private averageMs = 500;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {
    if (!(concurrency >= 1) || !(maxWaiting >= 0)) throw new RangeError('concurrency >= 1 and maxWaiting >= 0');
  }

  get size(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  get full(): boolean {
    return this.running >= this.concurrency && this.waiting.length >= this.maxWaiting;
  }

  /** Seconds until a job offered now would likely start: the queue ahead of it, at the observed pace. */
  retryAfterSeconds(): number {
    const ahead = this.running + this.waiting.length;
    return Math.max(1, Math.ceil((ahead * this.averageMs) / this.concurrency / 1000));
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.maxWaiting) {
        this.refused++;
        throw new QueueFull(this.retryAfterSeconds());
      }
      // The finishing job hands its slot over, so `running` never exceeds `concurrency`.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    this.peak = Math.max(this.peak, this.running);
    const started = performance.now();
    try {
      return await job();
    } finally {
      this.averageMs = this.averageMs * 0.8 + (performance.now() - started) * 0.2;
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
