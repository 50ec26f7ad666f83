import { setDigest } from '@plumbline/protocol/digest';
import type { Facts } from '@plumbline/protocol/facts';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { delta, hello, hostFacts, snapshot, sysctl, TestAgent } from './agent-client';
import { build } from './helper';

/**
 * Servers accept protocol versions 1 and 2 (which differ only in how a fact set's digest is
 * formed), answer each message in its own version, and keep a host's stored digest in the
 * version of the message that stored it: an agent that changes version is asked for one
 * snapshot, and nothing else changes.
 */
const t = await build();
const headers = { authorization: `Bearer ${await createApiKey(t.db, 'versions', 'admin')}` };
const stored = async (hostId: string) => {
  const host = (await t.app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json() as { facts: Facts; lastSeq: number };
  const head = await t.db.prisma.host.findUniqueOrThrow({ where: { id: hostId }, select: { lastSeq: true, factsDigest: true } });
  return { facts: host.facts, lastSeq: Number(head.lastSeq), digest: head.factsDigest };
};
const digestMessage = (seq: number, facts: Facts, version: 1 | 2) => ({
  version,
  type: 'digest' as const,
  seq,
  payload: { observedAt: new Date().toISOString(), digest: setDigest(version, facts, {}) },
});

describe('an agent of the previous release (protocol version 1)', () => {
  it('is answered in version 1, and its snapshots, deltas and digests are stored and checked as before', async () => {
    const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: 'v1' }));
    agent.send(hello('old-1', 1));
    const welcome = await agent.next('welcome');
    expect(welcome.version).toBe(1);
    const a = hostFacts('old-1', 'no');
    const b = hostFacts('old-1', 'yes');
    agent.send(snapshot(1, a, undefined, 1));
    expect(await agent.next('ack')).toEqual({ version: 1, type: 'ack', seq: 1 });
    agent.send(delta(2, a, b, undefined, 1));
    expect(await agent.next('ack')).toEqual({ version: 1, type: 'ack', seq: 2 });
    agent.send(digestMessage(3, b, 1));
    expect(await agent.next('ack')).toEqual({ version: 1, type: 'ack', seq: 3 });
    expect(await stored(welcome.payload.hostId)).toEqual({ facts: b, lastSeq: 3, digest: setDigest(1, b, {}) });
    agent.close();
  });
});

describe('an agent that moves from version 1 to version 2', () => {
  it('is asked for one snapshot, then its version 2 deltas and digests are checked against the stored facts', async () => {
    const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: 'upgrade' }));
    agent.send(hello('moving-1', 1));
    const { hostId } = (await agent.next('welcome')).payload;
    const a = { ...hostFacts('moving-1', 'no'), sysctl } as Facts;
    agent.send(snapshot(1, a, undefined, 1));
    await agent.next('ack');

    // After the upgrade: the same facts, digested the new way, do not match the stored digest.
    agent.send(digestMessage(2, a, 2));
    expect(await agent.next('resync')).toMatchObject({ version: 2, payload: { reason: expect.stringMatching(/digest/) } });
    const b = { ...hostFacts('moving-1', 'yes'), sysctl } as Facts;
    agent.send(delta(3, a, b, undefined, 2));
    expect((await agent.next('resync')).payload.reason).toMatch(/base/);
    expect(await stored(hostId)).toMatchObject({ facts: a, lastSeq: 1 });

    agent.send(snapshot(4, a, undefined, 2));
    expect(await agent.next('ack')).toEqual({ version: 2, type: 'ack', seq: 4 });
    // A delta that sets one fact and drops another: the server forms the digest from the
    // stored digests of the facts left alone.
    const { sysctl: _gone, ...withoutSysctl } = b as Facts & { sysctl: unknown };
    const next = withoutSysctl as Facts;
    const msg = delta(5, a, next, undefined, 2);
    if (msg.type !== 'delta') throw new Error('not a delta');
    msg.payload.set = { sshd_config: next.sshd_config };
    msg.payload.unset = ['sysctl'];
    agent.send(msg);
    expect(await agent.next('ack')).toEqual({ version: 2, type: 'ack', seq: 5 });
    agent.send(digestMessage(6, next, 2));
    expect(await agent.next('ack')).toEqual({ version: 2, type: 'ack', seq: 6 });
    expect(await stored(hostId)).toEqual({ facts: next, lastSeq: 6, digest: setDigest(2, next, {}) });
    agent.close();
  });
});

describe('a version 2 delta', () => {
  const enrolled = async (name: string, facts: Facts) => {
    const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name }));
    agent.send(hello(name));
    const { hostId } = (await agent.next('welcome')).payload;
    agent.send(snapshot(1, facts));
    await agent.next('ack');
    return { agent, hostId };
  };

  it('whose digest is not that of the stored facts with the delta applied changes nothing', async () => {
    const a = hostFacts('wrong-1', 'no');
    const { agent, hostId } = await enrolled('wrong-1', a);
    const msg = delta(2, a, hostFacts('wrong-1', 'yes'));
    if (msg.type !== 'delta') throw new Error('not a delta');
    // The digest of other facts than the delta leads to: a fact the agent left out of `set`.
    msg.payload.digest = setDigest(2, hostFacts('wrong-1', 'prohibit-password'), {});
    agent.send(msg);
    expect((await agent.next('resync')).payload.reason).toMatch(/do not match their digest/);
    expect(await stored(hostId)).toEqual({ facts: a, lastSeq: 1, digest: setDigest(2, a, {}) });
    agent.close();
  });

  it('is checked by value where a stored fact has no digest yet, and gives it one', async () => {
    const a = { ...hostFacts('undigested-1', 'no'), sysctl } as Facts;
    const { agent, hostId } = await enrolled('undigested-1', a);
    // As facts moved over by the migration that split them into rows are left.
    await t.db.prisma.$executeRawUnsafe(`UPDATE host_fact_values SET digest = NULL WHERE host_id = $1::uuid`, hostId);
    const b = { ...a, sshd_config: hostFacts('undigested-1', 'yes').sshd_config } as Facts;
    const msg = delta(2, a, b);
    if (msg.type !== 'delta') throw new Error('not a delta');
    msg.payload.set = { sshd_config: b.sshd_config };
    agent.send(msg);
    expect(await agent.next('ack')).toMatchObject({ seq: 2 });
    expect(await stored(hostId)).toEqual({ facts: b, lastSeq: 2, digest: setDigest(2, b, {}) });
    const digests = await t.db.prisma.$queryRawUnsafe<{ fact: string; digest: string | null }[]>(
      `SELECT fact, digest FROM host_fact_values WHERE host_id = $1::uuid ORDER BY fact`,
      hostId,
    );
    expect(digests.every((r) => r.digest !== null)).toBe(true);
    agent.close();
  });
});

describe('a version this server does not speak', () => {
  it('closes the socket with 4400 and a reason naming the version', async () => {
    const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: 'v3' }));
    agent.send(JSON.stringify({ ...hello('future-1'), version: 3 }));
    const closed = await agent.waitClose();
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/^malformed message: version\b/);
  });
});
