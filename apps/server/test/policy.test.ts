import type { InjectOptions } from 'fastify';
import type { Facts } from '@plumbline/protocol/facts';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { apiCaller, build, ruleStatus, until } from './helper';

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const auditor = await createApiKey(t.db, 'audit', 'auditor');
const LISTENERS = 'plb-svc-approved-listeners';
const request = apiCaller(t, admin);
const call = (method: InjectOptions['method'], url: string, payload?: unknown, key = admin) => request(method, url, key, payload);
const statusOf = (hostId: string, ruleId: string) => ruleStatus(request, hostId, ruleId);

// An MQTT broker: mosquitto listens on 1883 on every address.
const broker: Facts = {
  ...hostFacts('broker-1'),
  listening_sockets: [
    {
      protocol: 'tcp',
      address: '0.0.0.0',
      port: 1883,
      inode: 1,
      uid: 0,
      pid: 10,
      process: 'mosquitto',
      executable: '/usr/sbin/mosquitto',
      unit: 'mosquitto.service',
      package: 'mosquitto',
    },
  ],
} as Facts;
await call('PUT', '/api/v1/groups/mqtt-broker', { profileId: 'cis-l1-server' });
const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: 'mqtt', group: 'mqtt-broker' }));
agent.send(hello('broker-1'));
const hostId = (await agent.next('welcome')).payload.hostId;
agent.send(snapshot(1, broker));
await agent.next('ack');

describe('group policy', () => {
  it('refuses an unknown profile, rule or parameter with its name, and auditors', async () => {
    const badProfile = await call('PUT', '/api/v1/groups/mqtt-broker', { profileId: 'cis-l9' });
    expect(badProfile.status).toBe(400);
    expect(badProfile.body.message).toMatch(/cis-l9/);
    const badRule = await call('PUT', '/api/v1/groups/mqtt-broker', { tailoring: { rules: { 'no-such-rule': { enabled: false } } } });
    expect(badRule.status).toBe(400);
    expect(badRule.body.message).toMatch(/no-such-rule/);
    expect((await call('PUT', '/api/v1/groups/mqtt-broker', { profileId: 'cis-l2-server' }, auditor)).status).toBe(403);
    expect((await call('GET', '/api/v1/groups')).body.items[0]).toMatchObject({
      name: 'mqtt-broker',
      profileId: 'cis-l1-server',
      hosts: 1,
    });
  });

  it('judges listeners against the group allow-list, re-evaluating its hosts from stored facts', async () => {
    expect(await statusOf(hostId, LISTENERS)).toBe('fail');
    const res = await call('PUT', '/api/v1/groups/mqtt-broker', {
      allowedPorts: [{ port: 1883, protocol: 'tcp' }, { port: 8883, protocol: 'tcp' }, { port: 8083 }, { port: 8084 }],
    });
    expect(res.status).toBe(200);
    await until(async () => (await statusOf(hostId, LISTENERS)) === 'pass');
    expect(await statusOf(hostId, LISTENERS)).toBe('pass');
  });

  it('drops a rule the tailoring disables', async () => {
    await call('PUT', '/api/v1/groups/mqtt-broker', { tailoring: { rules: { 'plb-ssh-permit-root-login': { enabled: false } } } });
    await until(async () => (await statusOf(hostId, 'plb-ssh-permit-root-login')) === 'absent');
    expect(await statusOf(hostId, 'plb-ssh-permit-root-login')).toBe('absent');
  });
});

describe('re-evaluation after a policy change', () => {
  const revision = async () =>
    (await t.db.prisma.host.findUniqueOrThrow({ where: { id: hostId }, select: { verdictsRev: true } })).verdictsRev;
  const verdicts = () => t.db.prisma.ruleResult.count({ where: { hostId } });

  it('moves the host verdicts revision on once, however many verdicts it adds or removes', async () => {
    for (const profileId of ['cis-l2-server', 'cis-l1-server']) {
      const [rev, count] = [await revision(), await verdicts()];
      expect((await call('PUT', '/api/v1/groups/mqtt-broker', { profileId })).status).toBe(200);
      await until(async () => (await revision()) !== rev);
      expect(Math.abs((await verdicts()) - count)).toBeGreaterThan(5);
      expect(await revision()).toBe(rev + 1);
    }
  });
});

describe('rules catalogue', () => {
  it('lists rules with references and how many hosts fail them', async () => {
    const list = (await call('GET', '/api/v1/rules?limit=1000')).body;
    expect(list.total).toBeGreaterThanOrEqual(150);
    const rule = (await call('GET', `/api/v1/rules/${LISTENERS}`)).body;
    expect(rule).toMatchObject({ id: LISTENERS, section: { id: expect.any(String) }, profiles: expect.arrayContaining(['cis-l1-server']) });
    expect((await call('GET', '/api/v1/rules/nope')).status).toBe(404);
  });

  it('filters hosts by group, tag and failing rule after a host is tagged', async () => {
    expect((await call('PATCH', `/api/v1/hosts/${hostId}`, { tags: ['edge', 'eu'] })).status).toBe(204);
    const tagged = (await call('GET', '/api/v1/hosts?tag=edge&group=mqtt-broker')).body;
    expect(tagged.items.map((h: { id: string; tags: string[] }) => [h.id, h.tags])).toEqual([[hostId, ['edge', 'eu']]]);
    expect((await call('GET', '/api/v1/hosts?tag=nope')).body.total).toBe(0);
    expect((await call('PATCH', `/api/v1/hosts/${hostId}`, { group: 'no-such-group' })).status).toBe(400);
    agent.close();
  });
});
