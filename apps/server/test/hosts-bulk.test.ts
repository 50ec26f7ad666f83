import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import type { BusEvent } from '../src/live/bus';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { apiCaller, build } from './helper';

/**
 * POST /api/v1/hosts/bulk: one change to many hosts, by id or by the hosts list's filters, in
 * one transaction with one audit entry; a group change rescores the hosts as PATCH does.
 */
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';

const call = apiCaller(t, admin);
const bulk = (payload: unknown, key = admin) => call('POST', '/api/v1/hosts/bulk', key, payload);
const host = async (id: string) => (await call('GET', `/api/v1/hosts/${id}`)).body;
const results = async (id: string) =>
  ((await call('GET', `/api/v1/hosts/${id}/results?limit=1000`)).body.items as { ruleId: string; status: string }[]).map(
    (r) => `${r.ruleId}:${r.status}`,
  );
const auditTotal = async () => (await call('GET', '/api/v1/audit?action=host.update&limit=1')).body.total as number;

// A group whose tailoring drops the root-login rule: moving a host into it changes its score.
expect((await call('PUT', '/api/v1/groups/lenient', admin, { tailoring: { rules: { [ROOT_LOGIN]: { enabled: false } } } })).status).toBe(
  200,
);

/** Four hosts allowing root login (failing the rule): bulk-web-1..3 and other-db. */
const ids: Record<string, string> = {};
const agents: TestAgent[] = [];
for (const name of ['bulk-web-1', 'bulk-web-2', 'bulk-web-3', 'other-db']) {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name }));
  agent.send(hello(name));
  ids[name] = (await agent.next('welcome')).payload.hostId as string;
  agent.send(snapshot(1, hostFacts(name, 'yes')));
  await agent.next('ack');
  agents.push(agent);
}
const web = ['bulk-web-1', 'bulk-web-2', 'bulk-web-3'].map((n) => ids[n]!);

describe('POST /hosts/bulk', () => {
  it('refuses auditors, unknown groups and unknown ids, changing nothing', async () => {
    const before = await auditTotal();
    expect((await bulk({ ids: web, addTags: ['x'] }, auditor)).status).toBe(403);
    const group = await bulk({ ids: web, group: 'no-such-group' });
    expect(group.status).toBe(400);
    expect(group.body).toMatchObject({ code: 'PLUMBLINE_ERR_BAD_REQUEST', message: expect.stringMatching(/no-such-group/) });
    const stranger = randomUUID();
    const missing = await bulk({ ids: [web[0], stranger], addTags: ['x'] });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toContain(stranger);
    expect((await bulk({ addTags: ['x'] })).status).toBe(400);
    expect((await bulk({ ids: web })).status).toBe(400);
    expect((await host(web[0]!)).tags).toEqual([]);
    expect(await auditTotal()).toBe(before);
  });

  it('moves hosts to a group and rescores them as PATCH does, live, with one audit entry', async () => {
    // bulk-web-1 by PATCH, the other two in bulk: all three must end the same.
    expect((await call('PATCH', `/api/v1/hosts/${web[0]}`, admin, { group: 'lenient' })).status).toBe(204);
    const byPatch = await host(web[0]!);
    expect(await results(web[0]!)).not.toContain(`${ROOT_LOGIN}:fail`);
    const before = await auditTotal();
    const events: BusEvent[] = [];
    const stop = t.bus.subscribe((e) => events.push(e));
    const res = await bulk({ ids: web, group: 'lenient' });
    // On PostgreSQL live events travel through NOTIFY: they may arrive just after the answer.
    for (let i = 0; i < 100 && events.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    stop();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // bulk-web-1 was in the group already: matched, not changed.
    expect(res.body).toEqual({ matched: 3, updated: 2, hostIds: [...web.slice(1)].sort() });
    for (const id of web.slice(1)) {
      const h = await host(id);
      expect(h).toMatchObject({ group: 'lenient', score: byPatch.score, counts: byPatch.counts });
      expect(await results(id)).toEqual(await results(web[0]!));
      expect(events).toContainEqual(expect.objectContaining({ type: 'host.updated', hostId: id, score: byPatch.score }));
    }
    expect(await auditTotal()).toBe(before + 1);
    const entry = (await call('GET', '/api/v1/audit?action=host.update&limit=1')).body.items[0];
    expect(entry).toMatchObject({ target: null, details: { hosts: 2, ids: 3, group: 'lenient' } });

    // And back out of every group: the rule applies again.
    expect((await bulk({ ids: web, group: null })).body.updated).toBe(3);
    for (const id of web) expect(await results(id)).toContain(`${ROOT_LOGIN}:fail`);
  });

  it('selects by the hosts list filters, search included, and edits tags', async () => {
    const before = await auditTotal();
    const res = await bulk({ filter: { q: 'BULK-WEB' }, addTags: ['web', 'eu'] });
    expect(res.body).toMatchObject({ matched: 3, updated: 3 });
    for (const id of web) expect((await host(id)).tags).toEqual(['eu', 'web']);
    expect((await host(ids['other-db']!)).tags).toEqual([]);
    const entry = (await call('GET', '/api/v1/audit?action=host.update&limit=1')).body.items[0];
    expect(entry.details).toEqual({ hosts: 3, filter: { q: 'BULK-WEB' }, addTags: ['web', 'eu'] });
    // The same again changes nothing and records nothing.
    expect((await bulk({ filter: { q: 'bulk-web' }, addTags: ['web'] })).body).toMatchObject({ matched: 3, updated: 0 });
    expect(await auditTotal()).toBe(before + 1);

    expect((await bulk({ filter: { tag: 'eu' }, removeTags: ['eu'], addTags: ['apac'] })).body.updated).toBe(3);
    expect((await host(web[1]!)).tags).toEqual(['apac', 'web']);
    expect((await bulk({ ids: [web[2]], tags: ['z', 'a', 'z'] })).body.updated).toBe(1);
    expect((await host(web[2]!)).tags).toEqual(['a', 'z']);
    // Listed as the hosts list lists them: the same filter, the same hosts.
    const listed = (await call('GET', '/api/v1/hosts?tag=web')).body.items.map((h: { id: string }) => h.id).sort();
    expect((await bulk({ filter: { tag: 'web' }, addTags: ['listed'] })).body.hostIds).toEqual(listed);
    expect((await bulk({ filter: { q: 'nothing-like-this' }, addTags: ['x'] })).body).toEqual({ matched: 0, updated: 0, hostIds: [] });
  });

  it('keeps every tag of concurrent bulk additions to the same hosts, each once', async () => {
    const all = Object.values(ids);
    const n = 30;
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        bulk(i % 2 ? { ids: all, addTags: [`c${i}`, 'shared'] } : { filter: {}, addTags: [`c${i}`, 'shared'] }),
      ),
    );
    for (const r of responses) expect(r.status, JSON.stringify(r.body)).toBe(200);
    for (const id of all) {
      const tags: string[] = (await host(id)).tags;
      for (let i = 0; i < n; i++) expect(tags.filter((tag) => tag === `c${i}`)).toHaveLength(1);
      expect(tags.filter((tag) => tag === 'shared')).toHaveLength(1);
      expect(new Set(tags).size).toBe(tags.length);
    }
    for (const a of agents) a.close();
  }, 180_000);
});
