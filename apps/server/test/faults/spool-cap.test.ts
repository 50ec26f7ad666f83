import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { SequencedAgentMessage } from '@plumbline/protocol/messages';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSpoolDir } from '../../../agent/src/spool/check';
import { Spool } from '../../../agent/src/spool/spool';
import { createApiKey, createEnrollmentToken } from '../../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from '../agent-client';
import { build } from '../helper';

/**
 * An agent offline for long fills its spool: past the cap the oldest messages go, the
 * count travels in the next hello, the server logs it and, since the agent's next delta
 * no longer applies to what the server holds, asks for a full snapshot; nothing is
 * silently wrong, only that stretch of history is coarser.
 */
const tmp = await mkdtemp(path.join(tmpdir(), 'plumbline-fault-spool-'));
const msg = (seq: number, pad = 0): SequencedAgentMessage => ({
  version: 1,
  type: 'digest',
  seq,
  payload: { observedAt: new Date(0).toISOString(), digest: `${'d'.repeat(43)}${'x'.repeat(pad)}` },
});
const seqsOf = async (spool: Spool) => {
  const out: number[] = [];
  for await (const m of spool.read()) out.push(m.seq);
  return out;
};

const logLines: string[] = [];
const log = pino({ level: 'info' }, new Writable({ write: (chunk, _enc, cb) => void (logLines.push(chunk.toString()), cb()) }));
const { app, db, url } = await build({}, log);
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('a spool that reaches its cap', () => {
  it('drops the oldest messages first and counts them, on disk too', async () => {
    const dir = path.join(tmp, 'by-count');
    const spool = await Spool.open(dir, { check: checkSpoolDir, limits: { maxMessages: 5, maxBytes: 1 << 20 } });
    for (let seq = 1; seq <= 8; seq++) await spool.put(msg(seq));
    expect(spool.dropped).toBe(3);
    expect(await seqsOf(spool)).toEqual([4, 5, 6, 7, 8]);
    expect((await readdir(dir)).length).toBe(5);
    // What is on disk is what an agent restarted now would send.
    expect(await seqsOf(await Spool.open(dir, { check: checkSpoolDir, limits: { maxMessages: 5, maxBytes: 1 << 20 } }))).toEqual([
      4, 5, 6, 7, 8,
    ]);
  });

  it('holds its byte cap, and never drops what fits', async () => {
    const spool = await Spool.open(path.join(tmp, 'by-bytes'), { check: checkSpoolDir, limits: { maxMessages: 1000, maxBytes: 4000 } });
    for (let seq = 1; seq <= 20; seq++) await spool.put(msg(seq, 900));
    expect(spool.sizeBytes).toBeLessThanOrEqual(4000);
    expect(spool.dropped).toBe(20 - spool.size);
    expect(await seqsOf(spool)).toEqual(Array.from({ length: spool.size }, (_, i) => 21 - spool.size + i));
    // A message larger than the whole cap still cannot stay: the spool never exceeds it.
    await spool.put(msg(21, 5000));
    expect(spool.sizeBytes).toBeLessThanOrEqual(4000);
  });

  it('is reported by the agent, logged by the server, and repaired by a full snapshot', async () => {
    const token = await createEnrollmentToken(db, { name: 'spool' });
    const first = await TestAgent.connect(url, token);
    first.send(hello('spool-host'));
    const { credential } = (await first.next('welcome')).payload;
    const [a, b, c] = [hostFacts('spool-host', 'no'), hostFacts('spool-host', 'yes'), hostFacts('spool-host', 'prohibit-password')];
    first.send(snapshot(1, a));
    expect((await first.next('ack')).seq).toBe(1);
    first.close();
    await first.waitClose();

    // Offline, the agent made deltas 2 (a -> b) and 3 (b -> c); 2 was dropped from its full spool.
    const agent = await TestAgent.connect(url, credential);
    const greeting = hello('spool-host');
    if (greeting.type === 'hello') greeting.payload.spoolDropped = 1;
    agent.send(greeting);
    expect((await agent.next('welcome')).payload.lastSeq).toBe(1);
    agent.send(delta(3, b, c));
    expect((await agent.next('resync')).payload.reason).toMatch(/base/);
    agent.send(snapshot(4, c));
    expect((await agent.next('ack')).seq).toBe(4);
    agent.close();

    const warning = logLines.map((l) => JSON.parse(l) as { msg: string; spoolDropped?: number }).find((l) => l.spoolDropped === 1);
    expect(warning?.msg).toMatch(/spool overflowed/);
    const headers = { authorization: `Bearer ${await createApiKey(db, 'spool', 'admin')}` };
    const hostId = (await app.inject({ method: 'GET', url: '/api/v1/hosts', headers })).json().items[0].id;
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(detail.facts.sshd_config.settings.permitrootlogin.value).toBe('prohibit-password');
  });
});
