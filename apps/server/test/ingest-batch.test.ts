import { randomUUID } from 'node:crypto';
import { setDigest, valueDigest } from '@plumbline/protocol/digest';
import { PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import { parseAgentMessage, type SequencedAgentMessage } from '@plumbline/protocol/messages';
import { describe, expect, it } from 'vitest';
import { createEnrollmentToken } from '../src/access/credentials';
import type { AgentMessage } from '@plumbline/protocol/messages';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { ErrorCode } from '../src/errors';
import { build, onPostgres, racingWriter } from './helper';

/**
 * Group commit: snapshots and deltas of many hosts that arrive together are stored in one
 * transaction. What an agent sees must not change: its messages in order, its answer only
 * once its data is stored, and another agent's bad message never costs it its own.
 */
const t = await build();

/** Batch sizes as committed, recorded for the test's duration. */
const batches: number[] = [];
t.app.ingest.observeBatch = (n) => batches.push(n);

async function enroll(hostname: string) {
  const token = await createEnrollmentToken(t.db, { name: hostname });
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(hostname));
  const welcome = await agent.next('welcome', 30_000);
  return { agent, hostId: welcome.payload.hostId };
}

const parsed = (msg: AgentMessage): SequencedAgentMessage => {
  const p = parseAgentMessage(JSON.stringify(msg));
  if (!p.success || p.data.type === 'hello') throw new Error('bad test message');
  return p.data;
};

const lastSeq = async (hostId: string) =>
  Number((await t.db.prisma.host.findUniqueOrThrow({ where: { id: hostId }, select: { lastSeq: true } })).lastSeq);

const rootLogin = async (hostId: string) => {
  const row = await t.db.prisma.hostFactValue.findUnique({ where: { hostId_fact: { hostId, fact: 'sshd_config' } } });
  return (row?.value as { settings: { permitrootlogin: { value: string } } } | undefined)?.settings.permitrootlogin.value ?? null;
};

/**
 * A clock the gateway would never pass on (clockOf clamps the skew to its 32-bit column): the
 * database refuses the host row it is written to, failing the batch's statement.
 */
const overflowing = { skewSeconds: 2 ** 40, flagged: true };

describe('a batch with one bad message', () => {
  it('stores the others; the bad one fails alone, with its own error', async () => {
    const hosts = await Promise.all(['bad-a', 'bad-b', 'bad-c', 'bad-d'].map(enroll));
    for (const h of hosts) h.agent.close();
    const [a, b, c, d] = hosts.map((h) => h.hostId) as [string, string, string, string];
    batches.length = 0;
    // Submitted in one turn of the event loop: one batch.
    const results = await Promise.allSettled([
      t.app.ingest.handle(a, parsed(snapshot(1, hostFacts('bad-a')))),
      t.app.ingest.handle(b, parsed(snapshot(1, hostFacts('bad-b'))), new Date(), overflowing),
      t.app.ingest.handle(c, parsed(snapshot(1, hostFacts('bad-c', 'yes')))),
      t.app.ingest.handle(randomUUID(), parsed(snapshot(1, hostFacts('gone')))),
      t.app.ingest.handle(d, parsed(snapshot(1, hostFacts('bad-d')))),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: { type: 'ack', seq: 1 } });
    // The database refused the batch's statement: the retry one by one leaves this one failing alone.
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { message: expect.stringMatching(/out of range/) } });
    expect(results[2]).toEqual({ status: 'fulfilled', value: { type: 'ack', seq: 1 } });
    expect(results[3]).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.notFound } });
    expect(results[4]).toEqual({ status: 'fulfilled', value: { type: 'ack', seq: 1 } });
    expect([await rootLogin(a), await rootLogin(b), await rootLogin(c), await rootLogin(d)]).toEqual(['no', null, 'yes', 'no']);
    expect([await lastSeq(a), await lastSeq(b), await lastSeq(c), await lastSeq(d)]).toEqual([1, 0, 1, 1]);
    // The good messages were retried one by one after the database refused the batch.
    expect(batches.every((n) => n === 1)).toBe(true);
  });

  it('over sockets: the agent whose message fails is closed with 1011 and not acknowledged; the others are acknowledged', async () => {
    const good = await Promise.all(['sock-a', 'sock-b', 'sock-c'].map(enroll));
    const bad = await enroll('sock-bad');
    // Its host is deleted while it is connected: its snapshot has no row to go to.
    await t.db.prisma.host.delete({ where: { id: bad.hostId } });
    for (const [i, g] of good.entries()) g.agent.send(snapshot(1, hostFacts(`sock-${'abc'[i]}`)));
    bad.agent.send(snapshot(1, hostFacts('sock-bad')));
    for (const g of good) expect(await g.agent.next('ack', 30_000)).toMatchObject({ seq: 1 });
    expect((await bad.agent.waitClose(30_000)).code).toBe(1011);
    expect(bad.agent.received.filter((m) => m.type === 'ack')).toEqual([]);
    for (const g of good) expect(await lastSeq(g.hostId)).toBe(1);
    for (const g of good) g.agent.close();
  });
});

describe('many messages of one host arriving together', () => {
  it('are stored in their order, each checked against the one before', async () => {
    const { agent, hostId } = await enroll('ordered');
    agent.close();
    const other = await enroll('ordered-other');
    other.agent.close();
    const values = Array.from({ length: 12 }, (_, i) => (i % 2 ? 'yes' : 'no'));
    const facts = values.map((v) => hostFacts('ordered', v));
    batches.length = 0;
    const pending = [
      t.app.ingest.handle(hostId, parsed(snapshot(1, facts[0]!))),
      ...facts.slice(1).map((f, i) => t.app.ingest.handle(hostId, parsed(delta(i + 2, facts[i]!, f)))),
      // A replay of a sequence number already sent in this burst: acknowledged, stored once.
      t.app.ingest.handle(hostId, parsed(delta(5, facts[3]!, facts[4]!))),
      t.app.ingest.handle(other.hostId, parsed(snapshot(1, hostFacts('ordered-other')))),
    ];
    const results = await Promise.all(pending);
    expect(results.slice(0, 12)).toEqual(values.map((_, i) => ({ type: 'ack', seq: i + 1 })));
    expect(results[12]).toEqual({ type: 'ack', seq: 12 });
    expect(results[13]).toEqual({ type: 'ack', seq: 1 });
    expect(await lastSeq(hostId)).toBe(12);
    expect(await rootLogin(hostId)).toBe(values[11]);
    const changes = await t.db.prisma.factChange.findMany({
      where: { hostId, path: { endsWith: 'permitrootlogin.value' } },
      orderBy: { seq: 'asc' },
    });
    expect(changes.map((c) => [Number(c.seq), c.after])).toEqual(values.slice(1).map((v, i) => [i + 2, v]));
    // The other host's snapshot went with the first of them, not after all twelve.
    expect(batches[0]).toBe(2);
  });
});

describe('acknowledgement', () => {
  it('comes once the message is stored: the row read right after the ack has it', async () => {
    const agents = await Promise.all(Array.from({ length: 8 }, (_, i) => enroll(`acked-${i}`)));
    for (const [i, a] of agents.entries()) a.agent.send(snapshot(1, hostFacts(`acked-${i}`, 'yes')));
    for (const a of agents) {
      expect(await a.agent.next('ack', 30_000)).toMatchObject({ seq: 1 });
      expect(await lastSeq(a.hostId)).toBe(1);
      expect(await rootLogin(a.hostId)).toBe('yes');
      a.agent.close();
    }
  });
});

describe('50 agents sending at once', () => {
  it('are all stored, each message once', { timeout: 180_000 }, async () => {
    const agents: Array<Awaited<ReturnType<typeof enroll>>> = [];
    // Enrolled ten at a time (each enrollment is two transactions of its own); then all send at once.
    for (let i = 0; i < 50; i += 10) agents.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => enroll(`fleet-${i + k}`)))));
    const first = agents.map((_, i) => hostFacts(`fleet-${i}`, 'no'));
    const second = agents.map((_, i) => hostFacts(`fleet-${i}`, 'yes'));
    batches.length = 0;
    for (const [i, a] of agents.entries()) a.agent.send(snapshot(1, first[i]!));
    for (const a of agents) expect(await a.agent.next('ack', 60_000)).toMatchObject({ seq: 1 });
    // Then each sends its change twice (a resend after a lost ack): stored once.
    for (const [i, a] of agents.entries()) {
      a.agent.send(delta(2, first[i]!, second[i]!));
      a.agent.send(delta(2, first[i]!, second[i]!));
    }
    for (const a of agents) {
      expect(await a.agent.next('ack', 60_000)).toMatchObject({ seq: 2 });
      expect(await a.agent.next('ack', 60_000)).toMatchObject({ seq: 2 });
    }
    const ids = agents.map((a) => a.hostId);
    const hosts = await t.db.prisma.host.findMany({ where: { id: { in: ids } }, select: { lastSeq: true } });
    expect(hosts.map((h) => Number(h.lastSeq))).toEqual(ids.map(() => 2));
    const changes = await t.db.prisma.factChange.groupBy({
      by: ['hostId'],
      where: { hostId: { in: ids }, path: { endsWith: 'permitrootlogin.value' } },
      _count: { _all: true },
    });
    expect(changes).toHaveLength(50);
    expect(changes.every((c) => c._count._all === 1)).toBe(true);
    const drift = await t.db.prisma.driftEvent.groupBy({
      by: ['hostId'],
      where: { hostId: { in: ids }, kind: 'compliance', ruleId: 'plb-ssh-permit-root-login' },
      _count: { _all: true },
    });
    expect(drift).toHaveLength(50);
    expect(drift.every((c) => c._count._all === 1)).toBe(true);
    // Messages of many agents shared transactions.
    expect(Math.max(...batches)).toBeGreaterThan(1);
    for (const a of agents) a.agent.close();
  });
});

describe('digests of many hosts arriving together', () => {
  const digestOf = (seq: number, facts: ReturnType<typeof hostFacts>, digest?: string) =>
    parsed({
      version: PROTOCOL_VERSION,
      type: 'digest',
      seq,
      payload: { observedAt: new Date().toISOString(), digest: digest ?? setDigest(PROTOCOL_VERSION, facts, {}) },
    });

  it('are answered each as alone: stored and seen, a replay acknowledged again, a differing one asked to resync, a gone host refused', async () => {
    const names = Array.from({ length: 12 }, (_, i) => `dig-${i}`);
    const hosts = await Promise.all(names.map(enroll));
    for (const h of hosts) h.agent.close();
    const ids = hosts.map((h) => h.hostId);
    await Promise.all(ids.map((id, i) => t.app.ingest.handle(id, parsed(snapshot(1, hostFacts(names[i]!))))));
    const seenBefore = new Date(Date.now() - 1000);
    await t.db.prisma.host.updateMany({ where: { id: { in: ids } }, data: { lastSeenAt: seenBefore } });

    // Submitted in one turn of the event loop, as the gateway passes a busy second's digests on.
    const results = await Promise.allSettled([
      ...ids.slice(0, 10).map((id, i) => t.app.ingest.handle(id, digestOf(2, hostFacts(names[i]!)))),
      // A replay of what is stored (seq 1), and a digest of facts the server does not hold.
      t.app.ingest.handle(ids[10]!, digestOf(1, hostFacts(names[10]!))),
      t.app.ingest.handle(ids[11]!, digestOf(2, hostFacts(names[11]!, 'yes'))),
      t.app.ingest.handle(randomUUID(), digestOf(2, hostFacts('gone'))),
    ]);
    for (const r of results.slice(0, 10)) expect(r).toEqual({ status: 'fulfilled', value: { type: 'ack', seq: 2 } });
    expect(results[10]).toEqual({ status: 'fulfilled', value: { type: 'ack', seq: 1 } });
    expect(results[11]).toEqual({ status: 'fulfilled', value: { type: 'resync', reason: 'digest differs from the stored facts' } });
    expect(results[12]).toMatchObject({ status: 'rejected', reason: { code: ErrorCode.notFound } });

    const rows = await t.db.prisma.host.findMany({ where: { id: { in: ids } }, select: { id: true, lastSeq: true, lastSeenAt: true } });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.map((id) => Number(byId.get(id)!.lastSeq))).toEqual([...Array(10).fill(2), 1, 1]);
    // Stored digests mark their host seen; the replay and the resync leave it as it was.
    expect(ids.map((id) => byId.get(id)!.lastSeenAt!.getTime() > seenBefore.getTime())).toEqual([...Array(10).fill(true), false, false]);
  });

  it('of one host twice in a row keep their order: the later sequence wins, the earlier is then a replay', async () => {
    const { agent, hostId } = await enroll('dig-twice');
    agent.close();
    await t.app.ingest.handle(hostId, parsed(snapshot(1, hostFacts('dig-twice'))));
    const [second, third] = await Promise.all([
      t.app.ingest.handle(hostId, digestOf(2, hostFacts('dig-twice'))),
      t.app.ingest.handle(hostId, digestOf(3, hostFacts('dig-twice'))),
    ]);
    expect([second, third]).toEqual([
      { type: 'ack', seq: 2 },
      { type: 'ack', seq: 3 },
    ]);
    expect(await lastSeq(hostId)).toBe(3);
  });
});

describe('a snapshot waiting for its host row while another writer stores facts', () => {
  it.runIf(onPostgres)('is checked against the facts that writer stored, not those stored before it', async () => {
    const { agent, hostId } = await enroll('waits');
    agent.close();
    await t.app.ingest.handle(hostId, parsed(snapshot(1, hostFacts('waits', 'no'))));
    // Another replica's ingest of the same host (an agent that reconnected there) holds its row and stores `yes`.
    const yes = hostFacts('waits', 'yes').sshd_config;
    const stored = await racingWriter(
      t,
      hostId,
      () => t.app.ingest.handle(hostId, parsed(snapshot(3, hostFacts('waits', 'no')))),
      async (writer) => {
        await writer.query(`UPDATE host_fact_values SET value = $2::jsonb, digest = $3 WHERE host_id = $1 AND fact = 'sshd_config'`, [
          hostId,
          JSON.stringify(yes),
          valueDigest(yes),
        ]);
        await writer.query('UPDATE hosts SET last_seq = 2 WHERE id = $1', [hostId]);
      },
    );
    expect(stored).toEqual({ type: 'ack', seq: 3 });
    // The agent's last word is `no`: that is what is stored, and the change from `yes` is recorded.
    expect(await rootLogin(hostId)).toBe('no');
    const change = await t.db.prisma.factChange.findFirst({ where: { hostId, seq: 3, path: { endsWith: 'permitrootlogin.value' } } });
    expect(change).toMatchObject({ before: 'yes', after: 'no' });
  });
});
