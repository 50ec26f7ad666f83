import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('grows exponentially up to its cap and starts over after reset', () => {
    const b = new Backoff(100, 1000, () => 1);
    expect([b.next(), b.next(), b.next(), b.next(), b.next()]).toEqual([100, 200, 400, 800, 1000]);
    b.reset();
    expect(b.next()).toBe(100);
  });

  it('spreads agents out: with jitter the delay falls between half and all of the cap', () => {
    const low = new Backoff(1000, 60_000, () => 0);
    expect(low.next()).toBe(500);
  });
});
