import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff';

describe('Backoff', () => {
  it('doubles its cap from 1 s up to 5 min, and starts over after reset', () => {
    const b = new Backoff(undefined, undefined, () => 1);
    const delays = Array.from({ length: 11 }, () => b.next());
    expect(delays.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(delays.at(-1)).toBe(300_000);
    b.reset();
    expect(b.next()).toBe(1000);
  });

  it('draws each delay uniformly below the cap (full jitter), never below the floor', () => {
    expect(new Backoff(1000, 60_000, () => 0.25).next()).toBe(250);
    expect(new Backoff(1000, 60_000, () => 0).next()).toBe(100);
    // Evenly spread draws: the delays cover the whole range up to the cap, in order.
    const draws = Array.from({ length: 20 }, (_, i) => (i + 0.5) / 20);
    const delays = draws.map((r) => new Backoff(1000, 60_000, () => r).next());
    expect(delays[0]).toBe(100);
    expect(delays.at(-1)).toBe(975);
    for (let i = 2; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1] as number);
  });

  it('gives a server that asks for patience at least 30 s, in the upper half of a cap of at least 60 s', () => {
    expect(new Backoff(1000, 300_000, () => 0).nextPatient()).toBe(32_000);
    expect(new Backoff(1000, 300_000, () => 1).nextPatient()).toBe(64_000);
    const b = new Backoff(1000, 300_000, () => 1);
    for (let i = 0; i < 8; i++) b.next();
    // Already past the patience cap: it keeps growing from where it was.
    expect(b.nextPatient()).toBe(256_000);
  });
});
