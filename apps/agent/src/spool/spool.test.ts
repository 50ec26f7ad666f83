import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SequencedAgentMessage } from '@plumbline/protocol/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSpoolDir } from './check';
import { Spool } from './spool';

const dirs: string[] = [];
async function tempDir() {
  const d = await mkdtemp(path.join(tmpdir(), 'plumbline-spool-'));
  dirs.push(d);
  return d;
}
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

const digestMsg = (seq: number, pad = ''): SequencedAgentMessage => ({
  version: 1,
  type: 'digest',
  seq,
  payload: { observedAt: new Date(seq * 1000).toISOString(), digest: `d${seq}`.padEnd(43, 'x') + pad },
});
const seqs = async (s: Spool) => {
  const out: number[] = [];
  for await (const m of s.read()) out.push(m.seq);
  return out;
};

describe('Spool', () => {
  it('keeps messages across a restart, in order, with owner-only files', async () => {
    const dir = await tempDir();
    const a = await Spool.open(dir, { check: checkSpoolDir });
    for (const n of [3, 1, 2]) await a.put(digestMsg(n));
    const b = await Spool.open(dir, { check: checkSpoolDir });
    expect(await seqs(b)).toEqual([1, 2, 3]);
    for (const f of await readdir(dir)) expect((await stat(path.join(dir, f))).mode & 0o077).toBe(0);
  });

  it('forgets acknowledged messages, on disk too', async () => {
    const dir = await tempDir();
    const s = await Spool.open(dir, { check: checkSpoolDir });
    for (const n of [1, 2, 3, 4]) await s.put(digestMsg(n));
    await s.ack(2);
    expect(await seqs(s)).toEqual([3, 4]);
    expect(await seqs(await Spool.open(dir, { check: checkSpoolDir }))).toEqual([3, 4]);
  });

  it('drops the oldest messages past its limits, and counts them', async () => {
    const s = await Spool.open(await tempDir(), { check: checkSpoolDir, limits: { maxMessages: 3, maxBytes: 1e9 } });
    for (const n of [1, 2, 3, 4, 5]) await s.put(digestMsg(n));
    expect(await seqs(s)).toEqual([3, 4, 5]);
    expect(s.dropped).toBe(2);
    const small = await Spool.open(await tempDir(), { check: checkSpoolDir, limits: { maxMessages: 100, maxBytes: 400 } });
    for (const n of [1, 2, 3, 4]) await small.put(digestMsg(n, 'y'.repeat(100)));
    expect(small.sizeBytes).toBeLessThanOrEqual(400);
    expect(small.dropped).toBeGreaterThan(0);
  });

  it('ignores a half-written file left by a crash', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, '0000000000000009.json.tmp'), '{"version":1,"ty');
    const s = await Spool.open(dir, { check: checkSpoolDir });
    expect(s.size).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });

  it('sets aside a message changed on disk after it was written, and sends the rest', async () => {
    const dir = await tempDir();
    const quarantineDir = path.join(dir, 'aside');
    const s = await Spool.open(path.join(dir, 'spool'), { quarantineDir, check: checkSpoolDir });
    for (const n of [1, 2, 3]) await s.put(digestMsg(n));
    // Still a valid message, but not the one this process wrote: it is not sent as if it were.
    await writeFile(path.join(dir, 'spool', '0000000000000002.json'), JSON.stringify(digestMsg(2, 'z')));
    expect(await seqs(s)).toEqual([1, 3]);
    expect(s.dropped).toBe(1);
    expect(await readdir(quarantineDir)).toEqual([expect.stringMatching(/-0000000000000002\.json$/)]);
  });

  it('sets an unreadable entry aside, counts it, and reads on past it', async () => {
    const dir = await tempDir();
    const quarantineDir = path.join(dir, 'aside');
    const a = await Spool.open(path.join(dir, 'spool'), { quarantineDir, check: checkSpoolDir });
    for (const n of [1, 2, 3]) await a.put(digestMsg(n));
    await writeFile(path.join(dir, 'spool', '0000000000000002.json'), '{"version":2,"type":"snapsh');
    const b = await Spool.open(path.join(dir, 'spool'), { quarantineDir, check: checkSpoolDir });
    expect(await seqs(b)).toEqual([1, 3]);
    expect(b.dropped).toBe(1);
    expect(b.size).toBe(2);
    expect(await readdir(quarantineDir)).toEqual([expect.stringMatching(/-0000000000000002\.json$/)]);
    expect(await seqs(await Spool.open(path.join(dir, 'spool'), { quarantineDir, check: checkSpoolDir }))).toEqual([1, 3]);
  });
});
