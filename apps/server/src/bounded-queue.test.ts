import { describe, expect, it } from 'vitest';
import { BoundedQueue, QueueFull } from './bounded-queue';

/** A job that runs until the test lets it finish, and counts how many run at once. */
function gate() {
  let running = 0;
  let most = 0;
  const releases: (() => void)[] = [];
  const job = () => {
    running++;
    most = Math.max(most, running);
    return new Promise<void>((resolve) => releases.push(() => (running--, resolve())));
  };
  return { job, releases, most: () => most, running: () => running };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('BoundedQueue', () => {
  it('runs at most `concurrency` jobs, lets `maxWaiting` wait, refuses the rest with a retry hint', async () => {
    const q = new BoundedQueue(2, 16);
    const g = gate();
    const outcomes = Array.from({ length: 100 }, () =>
      q.run(g.job).then(
        () => 'done',
        (err: unknown) => err,
      ),
    );
    await tick();
    expect(g.running()).toBe(2);
    expect(q.size).toEqual({ running: 2, waiting: 16 });
    expect(q.full).toBe(true);
    // Finish them two by two: the waiting ones move up, never more than two at once.
    while (g.releases.length) {
      g.releases.splice(0).forEach((release) => release());
      await tick();
      await tick();
    }
    const results = await Promise.all(outcomes);
    expect(results.filter((r) => r === 'done')).toHaveLength(18);
    const refused = results.filter((r): r is QueueFull => r instanceof QueueFull);
    expect(refused).toHaveLength(82);
    for (const r of refused) expect(r.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(g.most()).toBe(2);
    expect(q.peak).toBe(2);
    expect(q.refused).toBe(82);
    expect(q.size).toEqual({ running: 0, waiting: 0 });
  });

  it('frees a slot when a job fails', async () => {
    const q = new BoundedQueue(1, 0);
    await expect(q.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(q.run(async () => 7)).resolves.toBe(7);
  });

  it('refuses a nonsensical size', () => {
    expect(() => new BoundedQueue(0, 1)).toThrow(RangeError);
  });
});
