import { setDigest } from '@plumbline/protocol/digest';
import { PROTOCOL_VERSION } from '@plumbline/protocol/limits';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { authenticateAgent } from '../src/enrollment/agent-auth';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

const t = await build();
const key = await createApiKey(t.db, 'tests', 'admin');
const api = async (url: string) => (await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } })).json();
const hostCount = () => t.db.prisma.host.count();

/** Enrolls a new scripted agent and returns it with its credential. */
async function enroll(hostname: string) {
  const token = await createEnrollmentToken(t.db, { name: hostname });
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(hostname));
  const welcome = await agent.next('welcome');
  return { agent, token, hostId: welcome.payload.hostId, credential: welcome.payload.credential! };
}

describe('upgrade authentication', () => {
  it('answers a missing, forged or expired secret with 401 before any upgrade, storing nothing', async () => {
    await expect(TestAgent.connect(t.url)).rejects.toThrow('http 401');
    await expect(TestAgent.connect(t.url, 'ple_forged')).rejects.toThrow('http 401');
    await expect(TestAgent.connect(t.url, 'pla_forged')).rejects.toThrow('http 401');
    const expired = await createEnrollmentToken(t.db, { name: 'old', expires: '1s' }, new Date(Date.now() - 60_000));
    await expect(TestAgent.connect(t.url, expired)).rejects.toThrow('http 401');
    expect(await hostCount()).toBe(0);
  });

  it('creates no host for an upgrade that never says hello', async () => {
    const token = await createEnrollmentToken(t.db, { name: 'silent' });
    const agent = await TestAgent.connect(t.url, token);
    agent.close();
    await agent.waitClose();
    expect(await hostCount()).toBe(0);
  });

  it('refuses a revoked credential', async () => {
    const { agent, credential } = await enroll('revoked-host');
    agent.close();
    await t.db.prisma.agentCredential.updateMany({ data: { revokedAt: new Date() }, where: { host: { hostname: 'revoked-host' } } });
    await expect(TestAgent.connect(t.url, credential)).rejects.toThrow('http 401');
  });
});

describe('revocation', () => {
  it('closes a connected agent at once with 4401 and refuses it afterwards; revoked keys and tokens stop working', async () => {
    const { agent, hostId, credential } = await enroll('to-revoke');
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/hosts/${hostId}/revoke`, headers: { authorization: `Bearer ${key}` } });
    expect(res.statusCode).toBe(204);
    expect((await agent.waitClose()).code).toBe(4401);
    await expect(TestAgent.connect(t.url, credential)).rejects.toThrow('http 401');

    const token = await createEnrollmentToken(t.db, { name: 'token-to-revoke' });
    const row = await t.db.prisma.enrollmentToken.findFirstOrThrow({ where: { name: 'token-to-revoke' } });
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/enrollment-tokens/${row.id}`, headers: { authorization: `Bearer ${key}` } }))
        .statusCode,
    ).toBe(204);
    await expect(TestAgent.connect(t.url, token)).rejects.toThrow('http 401');

    const spare = await createApiKey(t.db, 'spare', 'auditor');
    const spareRow = await t.db.prisma.apiKey.findFirstOrThrow({ where: { name: 'spare' } });
    await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${spareRow.id}`, headers: { authorization: `Bearer ${key}` } });
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: { authorization: `Bearer ${spare}` } })).statusCode).toBe(
      401,
    );
  });
});

describe('enrollment and ingest', () => {
  it('refuses a hello whose token was revoked after the agent authenticated, and leaves no credential, host or use behind', async () => {
    const token = await createEnrollmentToken(t.db, { name: 'revoked-in-between', maxUses: '5' });
    const auth = await authenticateAgent(t.db.prisma, token);
    expect(auth).toMatchObject({ kind: 'enrollment' });
    const row = await t.db.prisma.enrollmentToken.findFirstOrThrow({ where: { name: 'revoked-in-between' } });
    await t.db.prisma.enrollmentToken.update({ where: { id: row.id }, data: { revokedAt: new Date() } });
    const hostsBefore = await hostCount();
    const entriesBefore = await t.db.prisma.auditEntry.count();
    await expect(
      t.app.ingest.hello(auth!, { agentVersion: 'test', hostname: 'late-revoked', machineId: null, intervalSeconds: 30 }),
    ).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_AGENT_ENROLLMENT', message: expect.stringMatching(/was revoked/) });
    expect(await hostCount()).toBe(hostsBefore);
    expect(await t.db.prisma.agentCredential.count({ where: { enrollmentTokenId: row.id } })).toBe(0);
    expect((await t.db.prisma.enrollmentToken.findUniqueOrThrow({ where: { id: row.id } })).uses).toBe(0);
    expect(await t.db.prisma.auditEntry.count()).toBe(entriesBefore);
  });

  it('exchanges the token for a credential at hello, then stores snapshot and changes', async () => {
    const { agent, hostId, credential } = await enroll('web-1');
    expect(credential).toMatch(/^pla_/);
    const v1 = hostFacts('web-1', 'no');
    agent.send(snapshot(1, v1));
    expect((await agent.next('ack')).seq).toBe(1);
    const host = await api(`/api/v1/hosts/${hostId}`);
    expect(host.hostname).toBe('web-1');
    expect(host.os).toBe('Debian GNU/Linux 12 (bookworm)');
    expect(host.facts.sshd_config.settings.permitrootlogin.value).toBe('no');

    const observedAt = '2026-01-02T03:04:05.000Z';
    const v2 = hostFacts('web-1', 'yes');
    agent.send(delta(2, v1, v2, observedAt));
    expect((await agent.next('ack')).seq).toBe(2);
    const changes = await api(`/api/v1/hosts/${hostId}/changes`);
    expect(changes.items).toContainEqual(
      expect.objectContaining({ path: 'sshd_config.settings.permitrootlogin.value', before: 'no', after: 'yes', observedAt }),
    );
    const stored = changes.total;

    // The same message again (a replay after reconnect) is acknowledged and changes nothing.
    agent.send(delta(2, v1, v2, observedAt));
    expect((await agent.next('ack')).seq).toBe(2);
    expect((await api(`/api/v1/hosts/${hostId}/changes`)).total).toBe(stored);
    agent.close();
  });

  it('welcomes a returning agent with the last stored sequence and digest', async () => {
    const { agent, credential } = await enroll('web-2');
    const facts = hostFacts('web-2');
    agent.send(snapshot(7, facts));
    await agent.next('ack');
    agent.close();
    await agent.waitClose();
    const again = await TestAgent.connect(t.url, credential);
    again.send(hello('web-2'));
    const w = await again.next('welcome');
    expect(w.payload.credential).toBeUndefined();
    expect(w.payload.lastSeq).toBe(7);
    expect(w.payload.digest).toBe(setDigest(PROTOCOL_VERSION, facts, {}));
    again.close();
  });

  it('asks for a snapshot when a digest or delta does not match the stored facts', async () => {
    const { agent } = await enroll('web-3');
    const facts = hostFacts('web-3');
    agent.send(snapshot(1, facts));
    await agent.next('ack');
    agent.send({ version: 1, type: 'digest', seq: 2, payload: { observedAt: new Date().toISOString(), digest: 'x'.repeat(43) } });
    expect((await agent.next('resync')).payload.reason).toMatch(/digest/);
    agent.send(delta(3, hostFacts('web-3', 'something-else'), hostFacts('web-3', 'yes')));
    expect((await agent.next('resync')).payload.reason).toMatch(/base/);
    agent.close();
  });

  it('takes nothing from an enrollment it cannot record: the token keeps its one use for the retry', async () => {
    // The audit trail refuses the enrollment's entry, as when its transaction cannot start in
    // time on a busy pool (two replicas enrolling a fleet through one token did that).
    await t.db.sql.exec(`
      CREATE FUNCTION refuse_enroll_audit() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'audit trail unavailable'; END $$;
      CREATE TRIGGER refuse_enroll_audit BEFORE INSERT ON audit_entries
        FOR EACH ROW WHEN (NEW.action = 'agent.enroll') EXECUTE FUNCTION refuse_enroll_audit();`);
    const token = await createEnrollmentToken(t.db, { name: 'one-use', maxUses: '1' });
    const hostsBefore = await hostCount();
    const first = await TestAgent.connect(t.url, token);
    first.send(hello('enrolled-once'));
    expect((await first.waitClose()).code).toBe(1011);
    expect(first.received.map((m) => m.type)).not.toContain('welcome');
    expect(await hostCount()).toBe(hostsBefore);
    await t.db.sql.exec('DROP TRIGGER refuse_enroll_audit ON audit_entries; DROP FUNCTION refuse_enroll_audit();');

    const again = await TestAgent.connect(t.url, token);
    again.send(hello('enrolled-once'));
    const { hostId, credential } = (await again.next('welcome')).payload;
    expect(credential).toMatch(/^pla_/);
    again.close();
    expect((await api('/api/v1/hosts?q=enrolled-once')).total).toBe(1);
    expect(await t.db.prisma.auditEntry.count({ where: { action: 'agent.enroll', target: hostId } })).toBe(1);
  });
});

describe('bad frames', () => {
  it('closes a malformed frame with 4400 and a reason, and stores nothing from it', async () => {
    const token = await createEnrollmentToken(t.db, { name: 'garbage' });
    const before = await hostCount();
    const agent = await TestAgent.connect(t.url, token);
    agent.send('{this is not json');
    const closed = await agent.waitClose();
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/malformed/);
    expect(await hostCount()).toBe(before);
  });

  it('closes a valid message of the wrong shape with 4400 naming the field', async () => {
    const { agent } = await enroll('shape-host');
    agent.send(JSON.stringify({ version: 1, type: 'snapshot', seq: -1, payload: {} }));
    const closed = await agent.waitClose();
    expect(closed.code).toBe(4400);
    expect(closed.reason).toMatch(/seq/);
  });

  it('closes with 4409 when sequenced messages come before hello', async () => {
    const token = await createEnrollmentToken(t.db, { name: 'rude' });
    const agent = await TestAgent.connect(t.url, token);
    agent.send(snapshot(1, hostFacts('rude')));
    expect((await agent.waitClose()).code).toBe(4409);
  });

  it('closes a frame over 1 MiB with 1009 and keeps serving', async () => {
    const token = await createEnrollmentToken(t.db, { name: 'huge' });
    const agent = await TestAgent.connect(t.url, token);
    agent.send(Buffer.alloc(2 * 1024 * 1024, 120));
    expect((await agent.waitClose()).code).toBe(1009);
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});
