import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addUser, createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { registerApiKeyCommands, registerUserCommands } from '../src/cli/access';
import type { Database } from '../src/db/open';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

const PASSWORD = 'correct horse battery staple';
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const call = async (
  method: Method,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${admin}` },
) => {
  const res = await t.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as object }) });
  return { status: res.statusCode, body: res.body ? res.json() : null };
};
const as = (key: string) => ({ authorization: `Bearer ${key}` });
const ids = (items: { id?: string; hostId?: string; host?: { id: string } }[]) =>
  [...new Set(items.map((i) => i.hostId ?? i.host?.id ?? i.id))].sort();

/** The real `user` and `apikey` subcommands, on the test database. */
async function cli(group: 'user' | 'apikey', ...args: string[]): Promise<void> {
  const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const cmd = program.command(group);
  const withDb = <T>(fn: (db: Database) => Promise<T>) => fn(t.db);
  if (group === 'user') registerUserCommands(cmd, withDb, async () => '');
  else registerApiKeyCommands(cmd, withDb);
  await program.parseAsync(['node', 'plumbline', group, ...args]);
}

// Two hosts in two groups; each then changes a setting, so both have drift.
await call('PUT', '/api/v1/groups/blue', {});
await call('PUT', '/api/v1/groups/green', {});
async function enroll(hostname: string, group: string): Promise<string> {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: hostname, group }));
  agent.send(hello(hostname));
  const hostId = (await agent.next('welcome')).payload.hostId as string;
  agent.send(snapshot(1, hostFacts(hostname, 'no')));
  await agent.next('ack');
  agent.send(delta(2, hostFacts(hostname, 'no'), hostFacts(hostname, 'yes')));
  await agent.next('ack');
  agent.close();
  return hostId;
}
const blue = await enroll('blue-1', 'blue');
const green = await enroll('green-1', 'green');

describe('API keys: expiry', () => {
  it('refuses an expired key with 401 PLUMBLINE_ERR_KEY_EXPIRED, while a key that has not expired works', async () => {
    const expired = await createApiKey(t.db, 'old', 'admin', 'test', { expires: '1h' }, new Date(Date.now() - 2 * 3600_000));
    const res = await call('GET', '/api/v1/hosts', undefined, as(expired));
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('PLUMBLINE_ERR_KEY_EXPIRED');
    const fresh = await createApiKey(t.db, 'fresh', 'auditor', 'test', { expires: '30d' });
    expect((await call('GET', '/api/v1/hosts', undefined, as(fresh))).status).toBe(200);
  });

  it('takes expiresAt and group in the API body, refusing a past date or an unknown group', async () => {
    const at = new Date(Date.now() + 7 * 86400_000).toISOString();
    const made = await call('POST', '/api/v1/api-keys', { name: 'ci', role: 'auditor', expiresAt: at, group: 'blue' });
    expect(made.status).toBe(201);
    const listed = (await call('GET', '/api/v1/api-keys')).body.items.find((k: { name: string }) => k.name === 'ci');
    expect(listed).toMatchObject({ expiresAt: at, group: 'blue' });
    expect((await call('POST', '/api/v1/api-keys', { name: 'x', role: 'auditor', expiresAt: '2020-01-01T00:00:00Z' })).status).toBe(400);
    expect((await call('POST', '/api/v1/api-keys', { name: 'x', role: 'auditor', group: 'no-such-group' })).status).toBe(400);
    expect((await call('POST', '/api/v1/api-keys', { name: 'x', role: 'auditor', expires: 'soon' })).status).toBe(400);
  });

  it('plumbline apikey revoke ends a key at once; list shows it revoked', async () => {
    const key = await createApiKey(t.db, 'to-revoke', 'auditor');
    const id = (await call('GET', '/api/v1/api-keys')).body.items.find((k: { name: string }) => k.name === 'to-revoke').id;
    await cli('apikey', 'list');
    await cli('apikey', 'revoke', id);
    expect((await call('GET', '/api/v1/hosts', undefined, as(key))).status).toBe(401);
    await expect(cli('apikey', 'revoke', '00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({
      code: 'PLUMBLINE_ERR_NOT_FOUND',
    });
  });
});

describe('API keys: group scope', () => {
  const scopedKey = createApiKey(t.db, 'blue-only', 'auditor', 'test', { group: 'blue' });

  it("sees only its group's hosts in the hosts list, host detail, results, changes, rule hosts and drift", async () => {
    const key = as(await scopedKey);
    expect(ids((await call('GET', '/api/v1/hosts')).body.items)).toEqual([blue, green].sort());
    expect(ids((await call('GET', '/api/v1/hosts', undefined, key)).body.items)).toEqual([blue]);
    expect((await call('GET', '/api/v1/hosts?group=green', undefined, key)).body.total).toBe(0);
    expect((await call('GET', `/api/v1/hosts/${blue}`, undefined, key)).status).toBe(200);
    for (const url of [`/api/v1/hosts/${green}`, `/api/v1/hosts/${green}/results`, `/api/v1/hosts/${green}/changes`]) {
      expect((await call('GET', url, undefined, key)).status, url).toBe(404);
    }
    expect((await call('GET', `/api/v1/hosts/${blue}/results`, undefined, key)).body.total).toBeGreaterThan(0);
    const failing = (await call('GET', '/api/v1/rules/plb-ssh-permit-root-login/hosts', undefined, key)).body.items;
    expect(ids(failing)).toEqual([blue]);
    expect(ids((await call('GET', '/api/v1/drift?limit=1000')).body.items)).toEqual([blue, green].sort());
    expect(ids((await call('GET', '/api/v1/drift?limit=1000', undefined, key)).body.items)).toEqual([blue]);
    expect((await call('GET', `/api/v1/drift?host=${green}`, undefined, key)).body.total).toBe(0);
  });

  it('is refused (403) on fleet-wide endpoints, which would show other groups', async () => {
    const key = as(await scopedKey);
    for (const url of ['/api/v1/summary', '/api/v1/groups', '/api/v1/audit', '/api/v1/waivers']) {
      const res = await call('GET', url, undefined, key);
      expect(res.status, url).toBe(403);
      expect(res.body.code).toBe('PLUMBLINE_ERR_FORBIDDEN');
    }
  });
});

describe('users', () => {
  const login = async (email: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: PASSWORD } });
    return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json().csrfToken as string };
  };

  it('lists users for admins only', async () => {
    await addUser(t.db, 'boss@example.com', 'admin', PASSWORD);
    await addUser(t.db, 'ops@example.com', 'operator', PASSWORD);
    const list = await call('GET', '/api/v1/users');
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((u: { email: string; role: string; disabled: boolean }) => [u.email, u.role, u.disabled])).toEqual([
      ['boss@example.com', 'admin', false],
      ['ops@example.com', 'operator', false],
    ]);
    expect((await call('GET', '/api/v1/users', undefined, as(auditor))).status).toBe(403);
  });

  it('changes a role, effective on the user’s next request, and audits it', async () => {
    const ops = await login('ops@example.com');
    const opsId = (await call('GET', '/api/v1/users')).body.items.find((u: { email: string }) => u.email === 'ops@example.com').id;
    expect((await call('GET', '/api/v1/users', undefined, { cookie: ops.cookie })).status).toBe(403);
    const res = await call('PATCH', `/api/v1/users/${opsId}`, { role: 'admin' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('admin');
    expect((await call('GET', '/api/v1/users', undefined, { cookie: ops.cookie })).status).toBe(200);
    expect((await call('PATCH', `/api/v1/users/${opsId}`, { role: 'root' })).status).toBe(400);
    await cli('user', 'set-role', 'ops@example.com', 'operator');
    const audit = (await call('GET', '/api/v1/audit?limit=1000')).body.items as {
      action: string;
      target: string;
      details: { from: string; to: string };
    }[];
    expect(audit.filter((e) => e.action === 'user.role').map((e) => [e.target, e.details.from, e.details.to])).toEqual(
      expect.arrayContaining([
        ['ops@example.com', 'operator', 'admin'],
        ['ops@example.com', 'admin', 'operator'],
      ]),
    );
  });

  it('disabling a user ends their session at once; they cannot sign in again', async () => {
    const ops = await login('ops@example.com');
    expect((await call('GET', '/api/v1/session', undefined, { cookie: ops.cookie })).status).toBe(200);
    await cli('user', 'disable', 'ops@example.com');
    expect((await call('GET', '/api/v1/session', undefined, { cookie: ops.cookie })).status).toBe(401);
    expect((await call('GET', '/api/v1/hosts', undefined, { cookie: ops.cookie })).status).toBe(401);
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'ops@example.com', password: PASSWORD } });
    expect(again.statusCode).toBe(401);
    expect((await call('GET', '/api/v1/users')).body.items.find((u: { email: string }) => u.email === 'ops@example.com').disabled).toBe(
      true,
    );
    const audit = (await call('GET', '/api/v1/audit?limit=1000')).body.items as { action: string; target: string }[];
    expect(audit.some((e) => e.action === 'user.disable' && e.target === 'ops@example.com')).toBe(true);
  });

  it('refuses to demote or disable the last active admin (409), also from their own session', async () => {
    const boss = await login('boss@example.com');
    const bossId = (await call('GET', '/api/v1/users')).body.items.find((u: { email: string }) => u.email === 'boss@example.com').id;
    const headers = { cookie: boss.cookie, 'x-csrf-token': boss.csrf };
    for (const change of [{ role: 'operator' }, { disabled: true }]) {
      const res = await call('PATCH', `/api/v1/users/${bossId}`, change, headers);
      expect(res.status).toBe(409);
      expect(res.body.code).toBe('PLUMBLINE_ERR_LAST_ADMIN');
    }
    await expect(cli('user', 'set-role', 'boss@example.com', 'auditor')).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_LAST_ADMIN' });
    expect((await call('GET', '/api/v1/session', undefined, { cookie: boss.cookie })).body.user.role).toBe('admin');
    // With a second admin, the first may step down.
    await call(
      'PATCH',
      `/api/v1/users/${(await call('GET', '/api/v1/users')).body.items.find((u: { email: string }) => u.email === 'ops@example.com').id}`,
      { role: 'admin', disabled: false },
    );
    expect((await call('PATCH', `/api/v1/users/${bossId}`, { role: 'operator' }, headers)).status).toBe(200);
    await expect(cli('user', 'disable', 'nobody@example.com')).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_NOT_FOUND' });
  });
});
