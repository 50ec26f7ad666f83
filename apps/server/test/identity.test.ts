import type { Facts } from '@plumbline/protocol/facts';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';
import { receiver } from './receiver';

// A cloned image shares /etc/machine-id: two hosts then claim one identity. Each keeps its
// own row (never merged), both are flagged, and the flag is seen, audited and sent out.
const t = await build({ webhook: { attempts: 3, backoffMs: 10, timeoutMs: 2000, allowPrivate: true }, outboundPollMs: 25 });
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const hook = await receiver();

async function call(method: string, url: string, key = admin, body?: unknown) {
  const res = await fetch(`${t.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}
const host = async (id: string) => (await call('GET', `/api/v1/hosts/${id}`)).body;
const listed = async (id: string) => (await call('GET', '/api/v1/hosts?limit=500')).body.items.find((h: { id: string }) => h.id === id);
const withMachineId = (hostname: string, machineId: string | null): Facts =>
  ({ ...hostFacts(hostname), host: { ...hostFacts(hostname).host!, machine_id: machineId } }) as Facts;

/** Enrolls an agent that says its machine id in the hello, or only in its first snapshot. */
async function agent(hostname: string, machineId: string | null, via: 'hello' | 'snapshot' = 'hello') {
  const a = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: hostname }));
  const h = hello(hostname);
  if (via === 'hello' && h.type === 'hello') h.payload.machineId = machineId;
  a.send(h);
  const welcome = await a.next('welcome', 15_000);
  if (via === 'snapshot') {
    a.send(snapshot(1, withMachineId(hostname, machineId)));
    await a.next('ack', 15_000);
  }
  return { agent: a, hostId: welcome.payload.hostId, credential: welcome.payload.credential! };
}

/** Restarts an enrolled agent: it reconnects with its credential and says hello with `machineId`, and is welcomed. */
async function restart(enrolled: { agent: TestAgent; credential: string }, hostname: string, machineId: string) {
  enrolled.agent.close();
  await enrolled.agent.waitClose();
  const restarted = await TestAgent.connect(t.url, enrolled.credential);
  const h = hello(hostname);
  if (h.type === 'hello') h.payload.machineId = machineId;
  restarted.send(h);
  await restarted.next('welcome');
  return restarted;
}

const hook1 = await call('POST', '/api/v1/webhooks', admin, { name: 'identity', url: hook.url, filter: { kinds: ['identity'] } });

describe('a machine id claimed by a second host', () => {
  it('flags both hosts (API list and detail), keeps them apart, audits and sends a webhook', async () => {
    expect(hook1.status).toBe(201);
    const a = await agent('golden-1', 'm-cloned-aaaa');
    const b = await agent('golden-clone', 'm-cloned-aaaa');
    expect(a.hostId).not.toBe(b.hostId);
    for (const [self, other] of [
      [a, b],
      [b, a],
    ] as const) {
      expect(await listed(self.hostId)).toMatchObject({ identityConflict: true, duplicateHostname: false });
      const detail = await host(self.hostId);
      expect(detail).toMatchObject({
        identityConflict: true,
        machineId: 'm-cloned-aaaa',
        sameMachineId: [{ id: other.hostId, hostname: expect.any(String) }],
      });
      expect(detail.identityConflictSince).toEqual(expect.any(String));
    }
    const audited = await t.db.prisma.auditEntry.findMany({ where: { action: 'host.identity_conflict' } });
    expect(audited.map((e) => e.target).sort()).toEqual([a.hostId, b.hostId].sort());
    const drift = (await call('GET', '/api/v1/drift?kind=identity')).body.items;
    expect(drift.map((d: { hostId: string }) => d.hostId).sort()).toEqual([a.hostId, b.hostId].sort());
    await vi.waitFor(() => expect(hook.received.length).toBe(2), { timeout: 20_000, interval: 25 });
    const events = hook.received.map((r) => JSON.parse(r.body.toString()).event);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'identity', hostId: a.hostId, path: 'host.machine_id' }));
    // A later hello of a flagged host flags nothing again.
    (await restart(b, 'golden-clone', 'm-cloned-aaaa')).close();
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'host.identity_conflict' } })).toBe(2);
  });

  it('flags a machine id that arrives with the first snapshot (the hello had none)', async () => {
    const a = await agent('snap-1', 'm-snap-bbbb', 'snapshot');
    const b = await agent('snap-2', 'm-snap-bbbb', 'snapshot');
    expect((await host(a.hostId)).identityConflict).toBe(true);
    expect((await host(b.hostId)).identityConflict).toBe(true);
  });

  it('20 clones saying hello at once: all 20 flagged, each audited once', async () => {
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => createEnrollmentToken(t.db, { name: `clone-${i}` })));
    const agents = await Promise.all(tokens.map((tok) => TestAgent.connect(t.url, tok)));
    agents.forEach((a, i) => {
      const h = hello(`clone-${i}`);
      if (h.type === 'hello') h.payload.machineId = 'm-fleet-cccc';
      a.send(h);
    });
    const ids = await Promise.all(agents.map(async (a) => (await a.next('welcome', 20_000)).payload.hostId));
    const rows = await t.db.prisma.host.findMany({ where: { id: { in: ids } }, select: { identityConflictAt: true } });
    expect(rows.filter((r) => r.identityConflictAt).length).toBe(20);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'host.identity_conflict', target: { in: ids } } })).toBe(20);
    for (const a of agents) a.close();
  });

  it('does not flag a host whose twin was revoked, nor hosts that differ', async () => {
    const gone = await agent('retired', 'm-retired-dddd');
    await call('POST', `/api/v1/hosts/${gone.hostId}/revoke`);
    const fresh = await agent('successor', 'm-retired-dddd');
    expect((await host(fresh.hostId)).identityConflict).toBe(false);
    const other = await agent('unique', 'm-unique-eeee');
    expect((await host(other.hostId)).identityConflict).toBe(false);
  });
});

describe('clearing the flag', () => {
  it('is refused while the id is still shared; once the clone has its own id, an operator clears each; auditors cannot', async () => {
    const a = await agent('db-1', 'm-shared-ffff');
    const b = await agent('db-1-copy', 'm-shared-ffff');
    const refused = await call('DELETE', `/api/v1/hosts/${a.hostId}/identity-conflict`);
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'PLUMBLINE_ERR_IDENTITY_CONFLICT', message: expect.stringContaining('systemd-machine-id-setup') },
    });
    // The clone gets its own machine id and its agent restarts.
    const restarted = await restart(b, 'db-1-copy', 'm-own-gggg');
    expect((await call('DELETE', `/api/v1/hosts/${a.hostId}/identity-conflict`, auditor)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/hosts/${a.hostId}/identity-conflict`)).status).toBe(204);
    expect((await call('DELETE', `/api/v1/hosts/${b.hostId}/identity-conflict`)).status).toBe(204);
    expect((await host(a.hostId)).identityConflict).toBe(false);
    expect((await host(b.hostId)).identityConflict).toBe(false);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'host.identity_resolved', target: { in: [a.hostId, b.hostId] } } })).toBe(
      2,
    );
    restarted.close();
  });
});

describe('duplicate hostnames', () => {
  it('are marked on both hosts, without an identity conflict', async () => {
    const a = await agent('web-dup', 'm-web-1111');
    const b = await agent('web-dup', 'm-web-2222');
    for (const id of [a.hostId, b.hostId]) {
      expect(await listed(id)).toMatchObject({ duplicateHostname: true, identityConflict: false });
      expect((await host(id)).sameHostname).toEqual([{ id: id === a.hostId ? b.hostId : a.hostId, hostname: 'web-dup' }]);
    }
  });
});
