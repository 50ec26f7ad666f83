import pino from 'pino';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ResyncGate } from './resync-gate';

describe('ResyncGate', () => {
  it('answers a burst with one snapshot and one log line that counts the requests', async () => {
    const lines: { requests?: number }[] = [];
    const log = pino(
      { level: 'info' },
      new Writable({ write: (c: Buffer, _e, cb) => (lines.push(JSON.parse(c.toString()) as { requests?: number }), cb()) }),
    );
    const now = 0;
    let answered = 0;
    const gate = new ResyncGate(
      async () => void answered++,
      () => 60_000,
      log,
      () => now,
    );
    for (let i = 0; i < 500; i++) gate.request('flood');
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(1);
    expect(lines).toEqual([expect.objectContaining({ requests: 500, reason: 'flood' })]);
    // More requests inside the interval wait for its end (the clock has not moved: none yet).
    for (let i = 0; i < 500; i++) gate.request('flood');
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBe(1);
    gate.cancel();
  });
});
