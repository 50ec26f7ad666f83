import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { setDigest } from '@plumbline/protocol/digest';
import { PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

// The test closes the app itself; build()'s own close after the file is then a no-op.
const { app, db, bus, url } = await build();

describe('graceful shutdown', () => {
  it('marks its hosts offline and closes agent and live sockets with 1001 so that they reconnect', async () => {
    const token = await createEnrollmentToken(db, { name: 'shutdown' });
    const agents = await Promise.all(
      ['web-1', 'web-2', 'web-3'].map(async (name) => {
        const agent = await TestAgent.connect(url, token);
        agent.send(hello(name));
        await agent.next('welcome');
        return agent;
      }),
    );
    expect(await db.prisma.host.count({ where: { connected: true } })).toBe(3);
    // What other replicas' dashboards hear (on PostgreSQL, through NOTIFY).
    const offline = new Set<string>();
    bus.subscribe((e) => e.type === 'host.online' && !e.online && offline.add(e.hostId));
    const key = await createApiKey(db, 'viewer', 'auditor');
    const live = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise((resolve, reject) => live.once('open', resolve).once('error', reject));
    const liveClosed = new Promise<{ code: number; reason: string }>((resolve) =>
      live.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );

    await app.close();
    for (const agent of agents) expect(await agent.waitClose()).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await liveClosed).toEqual({ code: 1001, reason: 'server shutting down' });
    // Offline in the database once the server is gone, not left "connected" until each agent's next hello.
    expect(await db.prisma.host.findMany({ select: { hostname: true, connected: true }, orderBy: { hostname: 'asc' } })).toEqual([
      { hostname: 'web-1', connected: false },
      { hostname: 'web-2', connected: false },
      { hostname: 'web-3', connected: false },
    ]);
    const hostIds = (await db.prisma.host.findMany({ select: { id: true } })).map((h) => h.id);
    for (let i = 0; i < 50 && offline.size < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect([...offline].sort()).toEqual(hostIds.sort());
  });

  it('lets the message in hand finish before marking its host offline, and leaves the rest for the agent to resend', async () => {
    const other = await build();
    const token = await createEnrollmentToken(other.db, { name: 'busy' });
    const agent = await TestAgent.connect(other.url, token);
    agent.send(hello('busy-1'));
    await agent.next('welcome');
    const facts = hostFacts('busy-1');
    agent.send(snapshot(1, facts));
    await agent.next('ack');
    // A burst, as after an outage: the server handles them one at a time, and closes mid-way.
    const digest = setDigest(PROTOCOL_VERSION, facts, {});
    for (let seq = 2; seq <= 40; seq++) {
      agent.send({ version: PROTOCOL_VERSION, type: 'digest', seq, payload: { observedAt: new Date().toISOString(), digest } });
    }
    await agent.next('ack');
    await other.app.close();
    expect(await agent.waitClose()).toEqual({ code: 1001, reason: 'server shutting down' });
    const acked = agent.received.flatMap((m) => (m.type === 'ack' ? [m.seq] : []));
    const host = await other.db.prisma.host.findFirstOrThrow({ select: { connected: true, lastSeq: true } });
    // No digest handled after the host went offline turned it back on.
    expect(host.connected).toBe(false);
    // What was stored was acknowledged; the agent's spool still holds the rest.
    expect(Number(host.lastSeq)).toBe(Math.max(2, ...acked));
    expect(acked.length).toBeLessThan(39);
  });
});
