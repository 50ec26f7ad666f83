/**
 * Group commit: work items (agent messages) that arrive while earlier batches are being
 * committed are taken together as the next batch, one transaction for all of them. The
 * batch size follows the load by itself: when idle, a lone message starts its batch at once
 * (after the current turn of the event loop, so messages read in the same turn go
 * together); under load, what arrived during a commit is the next batch, up to `maxBatch`.
 *
 * A batch's size is also capped by how long the last ones took to commit: beyond
 * `targetMs` the cap halves (a restart storm's first snapshots insert every verdict of each
 * host, and a batch must stay well inside its transaction's timeout), below a quarter of it
 * the cap grows again, up to `maxBatch`.
 *
 * Order per key (a host): a batch takes at most one item per key, and no item whose key is
 * in a batch still in flight; the others wait, in order, for a later batch. `retry` puts
 * items back ahead of everything else, while their keys are still held. An item someone
 * waits for (`submit` with `first`, `promote`) goes ahead of those queued before it.
 */
export interface GroupCommitOptions {
  /** Items per batch at most. */
  maxBatch: number;
  /** Batches in flight at once (each holds a database connection). */
  maxInFlight: number;
  /** A commit taking longer than this halves the batch size (default 2 s). */
  targetMs?: number;
}

export class GroupCommit<T extends { key: string }> {
  /** Items taken before `pending`: those put back (retry) and those someone waits for (submit's `first`, promote). */
  private ahead: T[] = [];
  private pending: T[] = [];
  /** Keys of the items in flight. */
  private readonly held = new Set<string>();
  private inFlight = 0;
  private scheduled = false;
  /** The current cap on a batch's size (see the class comment). */
  private limit: number;

  /** `commit` settles each item of its batch itself; a rejection of its own is ignored. */
  constructor(
    private readonly commit: (items: T[]) => Promise<void>,
    private readonly options: GroupCommitOptions,
  ) {
    this.limit = options.maxBatch;
  }

  /** Items waiting for a batch. */
  get queued(): number {
    return this.ahead.length + this.pending.length;
  }

  /** Queues an item, after those waiting, or with `first` ahead of them (someone is waiting for its answer). */
  submit(item: T, first = false): void {
    (first ? this.ahead : this.pending).push(item);
    this.schedule();
  }

  /** Moves an item still waiting for a batch ahead of the others. */
  promote(item: T): void {
    const at = this.pending.indexOf(item);
    if (at >= 0) this.ahead.push(...this.pending.splice(at, 1));
  }

  /** Puts items back at the head of the queue (from `commit`: their keys are still held, so they go before any later item of theirs). */
  retry(items: T[]): void {
    this.ahead.unshift(...items);
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.options.maxInFlight) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.start();
    });
  }

  private start(): void {
    while (this.inFlight < this.options.maxInFlight) {
      const batch = this.take();
      if (!batch.length) return;
      this.inFlight++;
      for (const item of batch) this.held.add(item.key);
      const started = performance.now();
      const done = () => {
        this.adapt(batch.length, performance.now() - started);
        for (const item of batch) this.held.delete(item.key);
        this.inFlight--;
        this.start();
      };
      this.commit(batch).then(done, done);
    }
  }

  private adapt(size: number, ms: number): void {
    const target = this.options.targetMs ?? 2000;
    if (ms > target) this.limit = Math.max(1, Math.min(this.limit, Math.floor(size / 2)));
    else if (ms < target / 4 && size >= this.limit) this.limit = Math.min(this.options.maxBatch, Math.ceil(this.limit * 1.5));
  }

  private take(): T[] {
    const batch: T[] = [];
    const taken = new Set<string>();
    const pick = (queue: T[]): T[] => {
      const rest: T[] = [];
      for (const item of queue) {
        if (batch.length < this.limit && !this.held.has(item.key) && !taken.has(item.key)) batch.push(item);
        else rest.push(item);
        taken.add(item.key);
      }
      return rest;
    };
    this.ahead = pick(this.ahead);
    this.pending = pick(this.pending);
    return batch;
  }
}
