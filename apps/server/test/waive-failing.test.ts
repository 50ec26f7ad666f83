import type { ResultItem, WaiverItem } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build, type TestApp } from './helper';

// POST /rules/:id/waive-failing: one host waiver per host failing a rule, under the approval
// rules of POST /waivers, and never two for one host however many calls race.
const ROOT_LOGIN = 'plb-ssh-permit-root-login';
const expiresAt = () => new Date(Date.now() + 30 * 86_400_000).toISOString();
const body = () => ({ justification: 'bastions are reached through the jump host only (SEC-7)', expiresAt: expiresAt() });

/** A host of `group` whose sshd allows root login (`yes`: it fails ROOT_LOGIN) or not. */
async function enroll(t: TestApp, hostname: string, group: string, rootLogin: 'yes' | 'no'): Promise<string> {
  const token = await createEnrollmentToken(t.db, { name: `enroll-${hostname}`, group });
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(hostname));
  const hostId = (await agent.next('welcome')).payload.hostId;
  agent.send(snapshot(1, hostFacts(hostname, rootLogin)));
  await agent.next('ack');
  agent.ws.close();
  return hostId;
}

/** A waive-failing answer (an error's code and message, or a waiver's fields, as the call gives). */
type Answer = Record<string, unknown> & { items: WaiverItem[] };

async function send(t: TestApp, key: string, method: string, url: string, payload?: unknown) {
  const res = await fetch(`${t.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(payload !== undefined && { 'content-type': 'application/json' }) },
    ...(payload !== undefined && { body: JSON.stringify(payload) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : null) as Answer,
  };
}

const hostWaivers = (t: TestApp, ruleId: string) =>
  t.db.prisma.waiver.findMany({ where: { ruleId, scopeType: 'host' }, orderBy: { scopeId: 'asc' } });

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'auditor', 'auditor');
const web1 = await enroll(t, 'web-1', 'web', 'yes');
const web2 = await enroll(t, 'web-2', 'web', 'yes');
const db1 = await enroll(t, 'db-1', 'db', 'yes');
const db2 = await enroll(t, 'db-2', 'db', 'no');
const webOnly = await createApiKey(t.db, 'web-operator', 'operator', 'cli', { group: 'web' });

const t2 = await build({ twoPersonApproval: true });
const requester = await createApiKey(t2.db, 'requester', 'operator');
const approver = await createApiKey(t2.db, 'approver', 'operator');
const appHosts = [
  await enroll(t2, 'app-1', 'app', 'yes'),
  await enroll(t2, 'app-2', 'app', 'yes'),
  await enroll(t2, 'app-3', 'app', 'yes'),
].sort();

describe('waiving a rule for its failing hosts', () => {
  const waived = async (hostId: string) => {
    const results = (await send(t, admin, 'GET', `/api/v1/hosts/${hostId}/results?limit=1000`)).body.items as unknown as ResultItem[];
    return results.find((r) => r.ruleId === ROOT_LOGIN)!.waived;
  };

  it('answers 404 for an unknown rule, 400 for bad input, 403 for an auditor or a group-scoped key, making nothing', async () => {
    const unknown = await send(t, admin, 'POST', '/api/v1/rules/plb-no-such-rule/waive-failing', body());
    expect(unknown).toMatchObject({ status: 404, body: { code: 'PLUMBLINE_ERR_NOT_FOUND', message: 'no rule plb-no-such-rule' } });
    const far = new Date(Date.now() + 400 * 86_400_000).toISOString();
    const tooFar = await send(t, admin, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, { ...body(), expiresAt: far });
    expect(tooFar).toMatchObject({
      status: 400,
      body: { code: 'PLUMBLINE_ERR_BAD_REQUEST', message: 'expiresAt: at most 365 days ahead' },
    });
    const short = await send(t, admin, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, { ...body(), justification: 'because' });
    expect(short.status).toBe(400);
    expect((await send(t, auditor, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body())).status).toBe(403);
    expect((await send(t, webOnly, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body())).status).toBe(403);
    expect(await t.db.prisma.waiver.count()).toBe(0);
  });

  it('makes one host waiver per failing host, skipping those an approved group waiver covers; each is audited', async () => {
    const group = await send(t, admin, 'POST', '/api/v1/waivers', { ruleId: ROOT_LOGIN, scope: { type: 'group', id: 'db' }, ...body() });
    expect(group.status).toBe(201);
    const res = await send(t, admin, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body());
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ ruleId: ROOT_LOGIN, created: 2, alreadyWaived: 1 });
    expect(res.body.items.map((w) => w.scope.id).sort()).toEqual([web1, web2].sort());
    // Two-person approval is off: they apply at once, as one made by POST /waivers does, and the hosts' results say so.
    expect(res.body.items.every((w) => w.state === 'active' && w.approvedBy === 'apikey:admin' && w.scope.type === 'host')).toBe(true);
    expect(await waived(web1)).toBe(true);
    expect(await waived(web2)).toBe(true);
    expect(await waived(db1)).toBe(true);
    // The passing host gets none.
    expect(await t.db.prisma.waiver.count({ where: { scopeId: db2 } })).toBe(0);
    const audited = await t.db.prisma.auditEntry.findMany({ where: { action: 'waiver.create', target: { not: group.body.id as string } } });
    expect(audited.map((a) => a.target).sort()).toEqual(res.body.items.map((w) => w.id).sort());
    expect(audited[0]!.details).toMatchObject({ ruleId: ROOT_LOGIN, scope: { type: 'host' }, failingHosts: true });
  });

  it('answers 200 with nothing made when every failing host is waived already, or no host fails the rule', async () => {
    const again = await send(t, admin, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body());
    expect(again).toMatchObject({ status: 200, body: { created: 0, alreadyWaived: 3, items: [] } });
    const none = await send(t, admin, 'POST', '/api/v1/rules/plb-sysctl-ipv4-tcp-syncookies/waive-failing', body());
    expect(none).toMatchObject({
      status: 200,
      body: { ruleId: 'plb-sysctl-ipv4-tcp-syncookies', created: 0, alreadyWaived: 0, items: [] },
    });
    expect(await hostWaivers(t, ROOT_LOGIN)).toHaveLength(2);
  });

  it('waives a host again once its waiver is revoked', async () => {
    const [w] = (await hostWaivers(t, ROOT_LOGIN)).filter((x) => x.scopeId === web1);
    expect((await send(t, admin, 'DELETE', `/api/v1/waivers/${w!.id}`)).status).toBe(200);
    expect(await waived(web1)).toBe(false);
    const res = await send(t, admin, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body());
    expect(res).toMatchObject({ status: 201, body: { created: 1, alreadyWaived: 2, items: [{ scope: { type: 'host', id: web1 } }] } });
    expect(await waived(web1)).toBe(true);
  });
});

describe('with two-person approval', () => {
  it('20 identical calls at once make one waiver per failing host, awaiting approval, each audited once', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => send(t2, requester, 'POST', `/api/v1/rules/${ROOT_LOGIN}/waive-failing`, body())),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, ...Array(18).fill(200), 201].sort());
    const made = answers.find((a) => a.status === 201)!;
    expect(made.body).toMatchObject({ created: 3, alreadyWaived: 0 });
    expect(made.body.items.every((w) => w.state === 'requested' && w.approvedBy === null)).toBe(true);
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body).toMatchObject({ created: 0, alreadyWaived: 3 });
    const stored = await hostWaivers(t2, ROOT_LOGIN);
    expect(stored.map((w) => w.scopeId).sort()).toEqual(appHosts);
    expect(await t2.db.prisma.auditEntry.count({ where: { action: 'waiver.create' } })).toBe(3);
  });

  it('the waivers made wait for a second person, as one made by POST /waivers does', async () => {
    const [w] = await hostWaivers(t2, ROOT_LOGIN);
    expect((await send(t2, requester, 'POST', `/api/v1/waivers/${w!.id}/approve`)).status).toBe(403);
    const approved = await send(t2, approver, 'POST', `/api/v1/waivers/${w!.id}/approve`);
    expect(approved).toMatchObject({ status: 200, body: { state: 'active', approvedBy: 'apikey:approver' } });
  });
});
