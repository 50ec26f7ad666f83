import { readFileSync } from 'node:fs';

/**
 * At most `limit` tasks at once; the rest wait in order. Ingest holds one database
 * connection per task, so more in flight would only queue inside the pool while each
 * waiting message sits in memory.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

/** A token bucket: `rate` messages per second on average, bursts up to `burst`. */
export class RateLimit {
  private tokens: number;
  private last: number;

  constructor(
    private readonly rate: number,
    private readonly burst: number,
    now = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now = Date.now()): boolean {
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.rate);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * How ingests are grouped into transactions (see GroupCommit): up to 32 hosts' messages per
 * batch; on PostgreSQL three batches in flight (one is judged while the others wait on the
 * database for their locked read or their commit: with two, the main thread idled a third
 * of the time on deltas), on the embedded database (one connection) one.
 */
export function ingestBatching(kind: 'pglite' | 'postgres', poolSize: number): { maxBatch: number; maxInFlight: number } {
  return { maxBatch: 32, maxInFlight: kind === 'pglite' ? 1 : Math.max(1, Math.min(3, poolSize - 2)) };
}

/**
 * Messages the gateway has in hand at once (parsed, waiting for their batch or in it): enough
 * for the batches in flight and a full one waiting, few enough that the parsed snapshots of a
 * restart storm do not fill the memory.
 */
export function ingestConcurrency(kind: 'pglite' | 'postgres', poolSize: number): number {
  const { maxBatch, maxInFlight } = ingestBatching(kind, poolSize);
  return maxBatch * (maxInFlight + 1);
}

/**
 * This process's limit on open files (the soft one, which Node raises to the hard one as it
 * starts), from `/proc/self/limits`; null where that cannot be read (not Linux) or says
 * unlimited.
 */
export function openFilesLimit(read: () => string = () => readFileSync('/proc/self/limits', 'utf8')): number | null {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(read());
    return m && m[1] !== 'unlimited' ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Agent connections one process holds at most, unless PLUMBLINE_MAX_AGENTS says: its open-files
 * limit less a reserve (a quarter of the limit, at most 1,000) for the database pool, the log,
 * dashboard and API clients, and the files reports and static pages read. Without it a
 * reconnect storm (a replica restarted, its agents failing over to this one) takes every
 * descriptor, and the kernel's EMFILE then breaks the database pool, the API and the
 * health check; with it the agents beyond the limit are told to come back later and find
 * another replica. Null: no limit is known, none is enforced.
 */
export function agentCapacity(configured: number | null, limit = openFilesLimit()): number | null {
  if (configured !== null) return configured;
  if (limit === null) return null;
  return Math.max(1, limit - Math.min(1000, Math.floor(limit / 4)));
}
