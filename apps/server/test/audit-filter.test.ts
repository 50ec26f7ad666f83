import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { apiCaller, build } from './helper';

/**
 * GET /api/v1/audit as the audit page reads it: targets named for a person (a hostname, a key's
 * name) rather than UUIDs, and filters by actor, action and target that take those names.
 */
const t = await build();
const admin = await createApiKey(t.db, 'Ops Admin', 'admin');
const call = apiCaller(t, admin);
type Entry = { action: string; actor: string; target: string | null; targetName: string | null };
const audit = async (query: string) => {
  const res = await call('GET', `/api/v1/audit?limit=100&${query}`);
  expect(res.status).toBe(200);
  return res.body as { total: number; items: Entry[] };
};

const ids: Record<string, string> = {};
for (const name of ['audit-web-1', 'audit-db-1']) {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name }));
  agent.send(hello(name));
  ids[name] = (await agent.next('welcome')).payload.hostId as string;
  agent.send(snapshot(1, hostFacts(name, 'no')));
  await agent.next('ack');
  agent.close();
  expect((await call('PATCH', `/api/v1/hosts/${ids[name]}`, admin, { tags: ['audited'] })).status).toBe(204);
}
expect((await call('POST', '/api/v1/api-keys', admin, { name: 'ci-deploy', role: 'operator' })).status).toBe(201);

describe('audit trail targets', () => {
  it('names id targets: a host by its hostname, a key by its name', async () => {
    const { items } = await audit('action=host.update');
    expect(items.map((e) => [e.target, e.targetName])).toEqual([
      [ids['audit-db-1'], 'audit-db-1'],
      [ids['audit-web-1'], 'audit-web-1'],
    ]);
    const [key] = (await audit('action=apikey.create')).items.filter((e) => e.targetName?.includes('ci-deploy'));
    expect(key?.targetName).toBe('API key ci-deploy');
  });

  it('finds entries by the name of their target, any part and any case, not only by the stored id', async () => {
    // The host's update and enrolment, and the token of the same name it enrolled with.
    const web = await audit('target=AUDIT-WEB');
    expect(web.items.map((e) => [e.action, e.targetName])).toEqual([
      ['host.update', 'audit-web-1'],
      ['agent.enroll', 'audit-web-1'],
      ['token.create', 'token audit-web-1'],
    ]);
    // Both hosts, and nothing else (the key's entry names no host).
    expect((await audit('target=audit-&action=host.update')).items.map((e) => e.targetName).sort()).toEqual(['audit-db-1', 'audit-web-1']);
    // The stored id still works, as a link to the entries of one thing would use it.
    expect((await audit(`target=${ids['audit-db-1']}&action=host.update`)).items.map((e) => e.targetName)).toEqual(['audit-db-1']);
    expect((await audit('target=ci-deploy')).items.map((e) => e.action)).toEqual(['apikey.create']);
  });

  it('treats % and _ in a target or actor filter as text, not as wildcards', async () => {
    expect((await audit('target=%25')).total).toBe(0);
    expect((await audit('target=audit_web')).total).toBe(0);
    expect((await audit('actor=%25')).total).toBe(0);
  });

  it('filters by part of the actor, any case, with the action and target filters together', async () => {
    const byKey = await audit('actor=ops%20admin&action=host.update');
    expect(byKey.total).toBe(2);
    expect(byKey.items.every((e) => e.actor === 'apikey:Ops Admin')).toBe(true);
    expect((await audit('actor=someone-else&action=host.update')).total).toBe(0);
    expect((await audit('actor=ops&action=host.update&target=audit-db')).items.map((e) => e.targetName)).toEqual(['audit-db-1']);
  });

  it('downloads the filtered trail as CSV with the target names', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?format=csv&target=audit-web&action=host.update',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const [header, ...rows] = res.body.trim().split(/\r?\n/);
    expect(header).toContain('targetName');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('audit-web-1');
  });
});
