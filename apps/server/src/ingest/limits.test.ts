import { describe, expect, it } from 'vitest';
import { agentCapacity, openFilesLimit, RateLimit, Semaphore } from './limits';

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

describe('agentCapacity', () => {
  const limits = (soft: string) =>
    `Limit                     Soft Limit           Hard Limit           Units\nMax open files            ${soft}                ${soft}                files\n`;

  it('reads the soft open-files limit, and knows none where it is unlimited or unreadable', () => {
    expect(openFilesLimit(() => limits('20000'))).toBe(20000);
    expect(openFilesLimit(() => limits('unlimited'))).toBeNull();
    expect(
      openFilesLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeNull();
    // This process, on Linux: a real number.
    expect(openFilesLimit()).toBeGreaterThan(0);
  });

  it('keeps a quarter of the limit, at most 1,000 descriptors, for everything but agents; a setting wins', () => {
    expect(agentCapacity(null, 20_000)).toBe(19_000);
    expect(agentCapacity(null, 524_288)).toBe(523_288);
    expect(agentCapacity(null, 1024)).toBe(768);
    expect(agentCapacity(null, 8)).toBe(6);
    expect(agentCapacity(null, null)).toBeNull();
    expect(agentCapacity(50_000, 1024)).toBe(50_000);
  });
});
