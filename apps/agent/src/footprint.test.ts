import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { EXIT_MEMORY, startMemoryWatchdog } from './footprint';

describe('startMemoryWatchdog', () => {
  it('exits after two checks over the limit, and not over one', async () => {
    const codes: number[] = [];
    const stop = startMemoryWatchdog(1, pino({ level: 'silent' }), 20, (c) => codes.push(c));
    await new Promise((r) => setTimeout(r, 30));
    expect(codes).toEqual([]);
    await new Promise((r) => setTimeout(r, 40));
    stop();
    expect(codes[0]).toBe(EXIT_MEMORY);
  });

  it('stays quiet under the limit', async () => {
    const codes: number[] = [];
    const stop = startMemoryWatchdog(100_000, pino({ level: 'silent' }), 10, (c) => codes.push(c));
    await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(codes).toEqual([]);
  });
});
