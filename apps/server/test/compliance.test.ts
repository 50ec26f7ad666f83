import { setDigest } from '@plumbline/protocol/digest';
import { PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { verifyAudit } from '../src/audit/repository';
import { connectHost, delta, hostFacts } from './agent-client';
import { apiCaller, build } from './helper';

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';

const call = apiCaller(t, admin);
const result = async (hostId: string, ruleId: string) =>
  (await call('GET', `/api/v1/hosts/${hostId}/results?limit=1000`)).body.items.find((r: { ruleId: string }) => r.ruleId === ruleId);

// One host that first passes the root-login rule, then regresses.
const token = await createEnrollmentToken(t.db, { name: 'compliance', group: 'bastions' });
const { agent, hostId, facts: good } = await connectHost(t.url, token, 'bastion-1');

describe('results', () => {
  it('are stored on ingest with evidence naming the file and line', async () => {
    const r = await result(hostId, ROOT_LOGIN);
    expect(r).toMatchObject({
      status: 'pass',
      severity: expect.any(String),
      waived: false,
      references: { ssg: ['sshd_disable_root_login'] },
    });
    expect(JSON.stringify(r.evidence)).toContain('/etc/ssh/sshd_config:3');
  });

  it('say error, not pass or fail, for rules whose facts the agent did not send', async () => {
    const r = await result(hostId, 'plb-sysctl-ip-forward');
    expect(r?.status ?? 'error').toBe('error');
  });

  it('record a regression as compliance drift with its first-failed time, and the fact change beside it', async () => {
    agent.send(delta(2, good, hostFacts('bastion-1', 'yes'), '2026-11-01T10:00:00.000Z'));
    await agent.next('ack');
    const r = await result(hostId, ROOT_LOGIN);
    expect(r).toMatchObject({ status: 'fail', firstFailedAt: '2026-11-01T10:00:00.000Z' });
    const drift = (await call('GET', `/api/v1/drift?host=${hostId}&kind=compliance`)).body;
    expect(drift.items).toContainEqual(
      expect.objectContaining({
        ruleId: ROOT_LOGIN,
        direction: 'regression',
        before: 'pass',
        after: 'fail',
        hostname: 'bastion-1',
        group: 'bastions',
      }),
    );
    const facts = (await call('GET', `/api/v1/drift?host=bastion-1&kind=fact`)).body;
    expect(facts.items).toContainEqual(
      expect.objectContaining({ path: 'sshd_config.settings.permitrootlogin', beforeText: 'no', afterText: 'yes' }),
    );
    const failing = (await call('GET', `/api/v1/rules/${ROOT_LOGIN}/hosts`)).body;
    expect(failing.items.map((i: { host: { id: string } }) => i.host.id)).toEqual([hostId]);
  });

  it('take new evidence when a verdict stands but what it rests on moved, with no drift for the rule', async () => {
    const moved = hostFacts('bastion-1', 'yes');
    moved.sshd_config!.settings.permitrootlogin!.line = 5;
    agent.send(delta(3, hostFacts('bastion-1', 'yes'), moved));
    await agent.next('ack');
    const r = await result(hostId, ROOT_LOGIN);
    expect(r.status).toBe('fail');
    // Still failing since the regression: the stored first failure is read back and kept.
    expect(r.firstFailedAt).toBe('2026-11-01T10:00:00.000Z');
    expect(JSON.stringify(r.evidence)).toContain('/etc/ssh/sshd_config:5');
    expect(JSON.stringify(r.evidence)).not.toContain('/etc/ssh/sshd_config:3');
    const drift = (await call('GET', `/api/v1/drift?host=${hostId}&kind=compliance`)).body.items.filter(
      (d: { ruleId: string }) => d.ruleId === ROOT_LOGIN,
    );
    expect(drift).toHaveLength(1);
  });

  it('are all judged again when the stored verdicts are not those this server left', async () => {
    // As if another replica had written the verdict since: this server must not keep it
    // just because nothing the rule reads changed in the next message.
    await t.db.prisma.$executeRawUnsafe(
      `UPDATE rule_results SET status = 'pass' WHERE host_id = $1::uuid AND rule_id = $2`,
      hostId,
      ROOT_LOGIN,
    );
    const facts = hostFacts('bastion-1', 'yes');
    facts.sshd_config!.settings.permitrootlogin!.line = 5;
    const errors = { sysctl: { code: 'PLUMBLINE_ERR_READ', message: '/proc/sys could not be read' } };
    agent.send({
      version: PROTOCOL_VERSION,
      type: 'delta',
      seq: 4,
      payload: {
        observedAt: new Date().toISOString(),
        baseDigest: setDigest(PROTOCOL_VERSION, facts, {}),
        digest: setDigest(PROTOCOL_VERSION, facts, errors),
        set: {},
        unset: [],
        errors,
      },
    });
    await agent.next('ack');
    expect((await result(hostId, ROOT_LOGIN)).status).toBe('fail');
  });

  it('feed the summary: counts, the failing rule on top, scores per group', async () => {
    const s = (await call('GET', '/api/v1/summary', auditor)).body;
    expect(s.fleet.hosts).toBe(1);
    expect(s.fleet.counts.fail).toBeGreaterThan(0);
    expect(s.topFailingRules.map((r: { ruleId: string }) => r.ruleId)).toContain(ROOT_LOGIN);
    expect(s.groups.map((g: { name: string }) => g.name)).toEqual(['bastions']);
    expect(s.distribution.reduce((n: number, b: { hosts: number }) => n + b.hosts, 0)).toBe(1);
  });
});

describe('waivers', () => {
  const body = (over: Record<string, unknown> = {}) => ({
    ruleId: ROOT_LOGIN,
    scope: { type: 'host', id: hostId },
    justification: 'bastion needs root login until the migration',
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    ...over,
  });

  it('are refused to auditors and for bad input, changing nothing', async () => {
    expect((await call('POST', '/api/v1/waivers', auditor, body())).status).toBe(403);
    for (const bad of [
      { ruleId: 'no-such-rule' },
      { justification: 'short' },
      { expiresAt: '2020-01-01T00:00:00Z' },
      { expiresAt: new Date(Date.now() + 3650 * 86_400_000).toISOString() },
      { scope: { type: 'planet', id: 'x' } },
    ]) {
      const res = await call('POST', '/api/v1/waivers', admin, body(bad));
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
    }
    expect((await call('GET', '/api/v1/waivers')).body.total).toBe(0);
  });

  it('mark a failure waived without changing its status, raise the score with waivers, and end when revoked', async () => {
    const before = (await call('GET', `/api/v1/hosts`)).body.items[0];
    const created = await call('POST', '/api/v1/waivers', admin, body());
    expect(created.status).toBe(201);
    expect(created.body.state).toBe('active');
    expect(await result(hostId, ROOT_LOGIN)).toMatchObject({
      status: 'fail',
      waived: true,
      waiver: { justification: expect.stringMatching(/bastion/) },
    });
    const host = await t.db.prisma.host.findUniqueOrThrow({ where: { id: hostId } });
    expect(host.scoreWaived!).toBeGreaterThan(host.score!);
    expect(before).toBeDefined();
    const revoked = await call('DELETE', `/api/v1/waivers/${created.body.id}`);
    expect(revoked.body.state).toBe('revoked');
    expect((await result(hostId, ROOT_LOGIN)).waived).toBe(false);
  });

  it('stop applying by themselves once expired', async () => {
    const created = await call('POST', '/api/v1/waivers', admin, body({ expiresAt: new Date(Date.now() + 1500).toISOString() }));
    expect((await result(hostId, ROOT_LOGIN)).waived).toBe(true);
    await new Promise((r) => setTimeout(r, 1600));
    expect((await result(hostId, ROOT_LOGIN)).waived).toBe(false);
    expect((await call('GET', '/api/v1/waivers?state=expired')).body.items.map((w: { id: string }) => w.id)).toContain(created.body.id);
  });
});

describe('audit trail and operations', () => {
  it('records enrollments, tokens and waivers in a chain that verifies', async () => {
    const actions = (await call('GET', '/api/v1/audit?limit=100', auditor)).body.items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['agent.enroll', 'token.create', 'waiver.create', 'waiver.revoke', 'apikey.create']));
    expect(await verifyAudit(t.db.prisma)).toMatchObject({ ok: true });
  });

  it('exposes plumbline_* metrics to API keys only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${auditor}` } });
    expect(res.body).toMatch(/^plumbline_agents_connected 1$/m);
    expect(res.body).toMatch(/^plumbline_agent_messages_total\{type="snapshot"\} 1$/m);
    // Memory split the way an operator sizing a replica needs it: heap used within committed.
    const heap = (kind: string) => Number(new RegExp(`^plumbline_process_heap_bytes\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(res.body)?.[1]);
    expect(heap('used')).toBeGreaterThan(1 << 20);
    expect(heap('used')).toBeLessThanOrEqual(heap('total'));
    expect(heap('array_buffers')).toBeLessThanOrEqual(heap('external'));
    agent.close();
  });
});
