import { describe, expect, it } from 'vitest';
import { RateLimit, Semaphore } from './limits';

describe('Semaphore', () => {
  it('never runs more than its limit at once, and runs everything', async () => {
    const s = new Semaphore(2);
    let running = 0;
    let peak = 0;
    const done = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        s.run(async () => {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          return i;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(done).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('RateLimit', () => {
  it('allows a burst, then the steady rate', () => {
    const r = new RateLimit(2, 3, 0);
    expect([r.take(0), r.take(0), r.take(0), r.take(0)]).toEqual([true, true, true, false]);
    expect(r.take(400)).toBe(false);
    expect(r.take(500)).toBe(true);
  });
});
