import { CloseCode } from '@plumbline/protocol/limits';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

// Invariants that one request at a time never breaks: here they are raced with real requests
// over real sockets, all fired at once. PGlite serialises everything, so the PostgreSQL leg
// (PLUMBLINE_TEST_DATABASE=postgres) is the one that exposes a check-then-write race.
const t = await build({ twoPersonApproval: true });
const admin = await createApiKey(t.db, 'admin', 'admin');

interface Answer {
  status: number;
  retryAfter: string | null;
  body: { code?: string; message?: string } & Record<string, unknown>;
}

async function send(method: string, url: string, body?: unknown, key: string | null = admin): Promise<Answer> {
  const res = await fetch(`${t.url}${url}`, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...(key && { authorization: `Bearer ${key}` }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

/** Fires n requests at once; each gets its index. */
const race = (n: number, one: (i: number) => Promise<Answer>) => Promise.all(Array.from({ length: n }, (_, i) => one(i)));
const statuses = (answers: Answer[]) => answers.map((a) => a.status).sort((a, b) => a - b);
const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;

describe('first-admin setup', { timeout: 180_000 }, () => {
  it('of 8 parallel setups exactly one creates an admin, the others get 409 PLUMBLINE_ERR_SETUP_DONE (5 rounds)', async () => {
    for (let round = 0; round < 5; round++) {
      // A fresh start each round: no account exists.
      await t.db.prisma.user.deleteMany();
      const answers = await race(8, (i) =>
        send('POST', '/api/v1/setup', { email: `admin${i}-${round}@example.com`, password: `correct horse battery staple ${i}` }, null),
      );
      expect(statuses(answers), `round ${round}`).toEqual([200, ...Array(7).fill(409)]);
      for (const a of answers.filter((x) => x.status === 409)) expect(a.body.code).toBe('PLUMBLINE_ERR_SETUP_DONE');
      expect(await t.db.prisma.user.count({ where: { role: 'admin' } })).toBe(1);
    }
  });
});

describe('enrollment token max uses', () => {
  /** Connects n agents with the token (all upgrades pass: nothing is used yet), then all say hello at once. */
  async function helloAll(token: string, n: number, prefix: string) {
    const agents = await Promise.all(Array.from({ length: n }, () => TestAgent.connect(t.url, token)));
    agents.forEach((a, i) => a.send(hello(`${prefix}-${i}`)));
    return Promise.all(
      agents.map(async (a) => {
        try {
          const welcome = await a.next('welcome', 15_000);
          a.close();
          return { hostId: welcome.payload.hostId, closed: null };
        } catch {
          return { hostId: null, closed: await a.waitClose(15_000) };
        }
      }),
    );
  }

  it.each([1, 3])(
    'a token with maxUses %i enrolls exactly that many of 20 parallel hellos; the rest are closed 4401 with a reason',
    async (maxUses) => {
      const prefix = `race-${maxUses}`;
      const token = await createEnrollmentToken(t.db, { name: prefix, maxUses: String(maxUses) });
      const outcomes = await helloAll(token, 20, prefix);
      expect(outcomes.filter((o) => o.hostId).length).toBe(maxUses);
      for (const o of outcomes.filter((x) => !x.hostId))
        expect(o.closed).toEqual({ code: CloseCode.revoked, reason: expect.stringMatching(/used up|no longer valid/) });
      expect(await t.db.prisma.host.count({ where: { hostname: { startsWith: `${prefix}-` } } })).toBe(maxUses);
      const row = await t.db.prisma.enrollmentToken.findFirstOrThrow({ where: { name: prefix } });
      expect(row.uses).toBe(maxUses);
      expect(await t.db.prisma.agentCredential.count({ where: { enrollmentTokenId: row.id } })).toBe(maxUses);
    },
  );
});

const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-races-'));
describe('unique names', { timeout: 120_000 }, () => {
  it.each([
    ['API key', '/api/v1/api-keys', () => ({ name: 'deploy', role: 'auditor' })],
    [
      'user email',
      '/api/v1/users',
      (i: number) => ({ email: 'Ops@Example.com', role: 'operator', password: `correct horse battery ${i}` }),
    ],
    ['webhook', '/api/v1/webhooks', () => ({ name: 'soc', url: 'https://hooks.example.com/plumbline' })],
    [
      'report schedule',
      '/api/v1/report-schedules',
      () => ({ name: 'nightly', cadence: 'daily', hour: 2, report: { format: 'csv' }, destination: { type: 'directory', path: dir } }),
    ],
  ])('%s: of 20 parallel creations with one name, one is created and 19 get 409 PLUMBLINE_ERR_CONFLICT', async (_what, url, body) => {
    const answers = await race(20, (i) => send('POST', url, body(i)));
    // A new user's password is hashed behind the bounded hash queue, so under a burst some
    // creations are turned away with 429 before they reach the unique check: never a second user.
    const refusedBusy = answers.filter((a) => a.status === 429);
    if (url !== '/api/v1/users') expect(refusedBusy).toEqual([]);
    for (const a of refusedBusy) expect(a.retryAfter).toMatch(/^\d+$/);
    expect(statuses(answers.filter((a) => a.status !== 429))).toEqual([201, ...Array(19 - refusedBusy.length).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409))
      expect(a.body).toMatchObject({ code: 'PLUMBLINE_ERR_CONFLICT', message: expect.stringMatching(/exists/) });
  });

  it('a group created by 20 parallel PUTs exists once; every PUT answers 200', async () => {
    const answers = await race(20, () => send('PUT', '/api/v1/groups/raced', { allowedPorts: [{ port: 22 }] }));
    expect(statuses(answers)).toEqual(Array(20).fill(200));
    expect(await t.db.prisma.group.count({ where: { name: 'raced' } })).toBe(1);
  });

  it('parallel PUTs of one group naming different fields keep every field set (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const name = `fields-${round}`;
      // The second PUT creates the group if the first has not yet.
      const answers = await Promise.all([
        send('PUT', `/api/v1/groups/${name}`, { allowedPorts: [{ port: 1883, protocol: 'tcp' }] }),
        send('PUT', `/api/v1/groups/${name}`, { profileId: 'cis-l2-server' }),
        send('PUT', `/api/v1/groups/${name}`, { tailoring: { rules: { 'plb-ssh-permit-root-login': { enabled: false } } } }),
      ]);
      expect(statuses(answers)).toEqual([200, 200, 200]);
      const g = await t.db.prisma.group.findUniqueOrThrow({ where: { name } });
      expect({ profileId: g.profileId, allowedPorts: g.allowedPorts, tailoring: g.tailoring }).toEqual({
        profileId: 'cis-l2-server',
        allowedPorts: [{ port: 1883, protocol: 'tcp' }],
        tailoring: { rules: { 'plb-ssh-permit-root-login': { enabled: false } } },
      });
    }
  });

  it('an enrollment token naming a new group: 20 created in parallel, one group', async () => {
    const answers = await race(20, (i) => send('POST', '/api/v1/enrollment-tokens', { name: `into-new-${i}`, group: 'born-in-a-race' }));
    expect(statuses(answers)).toEqual(Array(20).fill(201));
    expect(await t.db.prisma.group.count({ where: { name: 'born-in-a-race' } })).toBe(1);
  });
});

const requester = await createApiKey(t.db, 'requester', 'operator');
const approvers = await Promise.all(Array.from({ length: 20 }, (_, i) => createApiKey(t.db, `approver-${i}`, 'operator')));
describe('waiver approval', () => {
  const rule = 'plb-ssh-permit-root-login';
  const request = async () => {
    const res = await send(
      'POST',
      '/api/v1/waivers',
      {
        ruleId: rule,
        scope: { type: 'tag', id: 'legacy' },
        justification: 'vendor appliance, replaced next quarter',
        expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      },
      requester,
    );
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const approvals = (id: string) => t.db.prisma.auditEntry.count({ where: { action: 'waiver.approve', target: id } });

  it('20 approvers racing: one approval is recorded, the others get 409; the approver is the one audited', async () => {
    const id = await request();
    const answers = await race(20, (i) => send('POST', `/api/v1/waivers/${id}/approve`, undefined, approvers[i]!));
    expect(statuses(answers)).toEqual([200, ...Array(19).fill(409)]);
    expect(await approvals(id)).toBe(1);
    const winner = answers.find((a) => a.status === 200)!;
    const audited = await t.db.prisma.auditEntry.findFirstOrThrow({ where: { action: 'waiver.approve', target: id } });
    expect(audited.actor).toBe(winner.body.approvedBy);
    expect((await t.db.prisma.waiver.findUniqueOrThrow({ where: { id } })).approvedBy).toBe(winner.body.approvedBy);
  });

  it('the requester approving their own waiver 20 times at once is refused every time (403)', async () => {
    const id = await request();
    const answers = await race(20, () => send('POST', `/api/v1/waivers/${id}/approve`, undefined, requester));
    expect(statuses(answers)).toEqual(Array(20).fill(403));
    expect(await approvals(id)).toBe(0);
  });

  it('approve racing revoke: never both (an approval audited on a revoked waiver)', async () => {
    const id = await request();
    const answers = await race(20, (i) =>
      i % 2 ? send('DELETE', `/api/v1/waivers/${id}`) : send('POST', `/api/v1/waivers/${id}/approve`, undefined, approvers[i]!),
    );
    expect(count(answers, 500)).toBe(0);
    const w = await t.db.prisma.waiver.findUniqueOrThrow({ where: { id } });
    expect(w.revokedAt).not.toBeNull();
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'waiver.revoke', target: id } })).toBe(1);
    expect(await approvals(id)).toBeLessThanOrEqual(1);
  });
});

describe('baselines', () => {
  /** A host in a group, with facts: something to approve. */
  async function hostWithFacts(hostname: string, group: string) {
    const a = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: hostname, group }));
    a.send(hello(hostname));
    const hostId = (await a.next('welcome', 15_000)).payload.hostId;
    a.send(snapshot(1, hostFacts(hostname)));
    await a.next('ack', 15_000);
    a.close();
    return hostId;
  }

  it('20 parallel approvals of one host baseline: each answers 201, one baseline, each approval audited', async () => {
    const hostId = await hostWithFacts('baseline-race', 'baselined');
    const answers = await race(20, (i) => send('POST', `/api/v1/hosts/${hostId}/baseline`, { note: `approval ${i}` }));
    expect(statuses(answers)).toEqual(Array(20).fill(201));
    expect(await t.db.prisma.hostBaseline.count({ where: { hostId } })).toBe(1);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'baseline.approve', target: hostId } })).toBe(20);
  });

  it('20 parallel golden-host choices for one group: each answers 200, one golden host', async () => {
    const hosts = await Promise.all([hostWithFacts('golden-a', 'goldened'), hostWithFacts('golden-b', 'goldened')]);
    const answers = await race(20, (i) => send('PUT', '/api/v1/groups/goldened/golden-host', { hostId: hosts[i % 2] }));
    expect(statuses(answers)).toEqual(Array(20).fill(200));
    expect(await t.db.prisma.groupGoldenHost.count({ where: { groupName: 'goldened' } })).toBe(1);
  });
});

describe('removals racing', () => {
  it.each([
    ['webhook', '/api/v1/webhooks', { name: 'to-delete', url: 'https://hooks.example.com/gone' }],
    [
      'report schedule',
      '/api/v1/report-schedules',
      { name: 'to-delete', cadence: 'daily', hour: 1, report: { format: 'csv' }, destination: { type: 'directory', path: dir } },
    ],
  ])('%s deleted by 20 requests at once: one 200, 19 404, one audit entry', async (_what, url, body) => {
    const made = await send('POST', url, body);
    expect(made.status).toBe(201);
    const id = made.body.id as string;
    const answers = await race(20, () => send('DELETE', `${url}/${id}`));
    expect(statuses(answers)).toEqual([200, ...Array(19).fill(404)]);
    expect(await t.db.prisma.auditEntry.count({ where: { action: { endsWith: '.delete' }, target: id } })).toBe(1);
  });

  it('a host revoked by 20 requests at once: all 204, revoked and audited once', async () => {
    const a = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: 'revoke-race' }));
    a.send(hello('revoke-race'));
    const hostId = (await a.next('welcome', 15_000)).payload.hostId;
    const answers = await race(20, () => send('POST', `/api/v1/hosts/${hostId}/revoke`));
    expect(statuses(answers)).toEqual(Array(20).fill(204));
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'agent.revoke', target: hostId } })).toBe(1);
    expect((await a.waitClose()).code).toBe(CloseCode.revoked);
  });
});
