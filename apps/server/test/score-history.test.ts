import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import type { BusEvent } from '../src/live/bus';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

const startedAt = new Date();
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';
const HOUR = 3_600_000;

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
  return { status: res.statusCode, body: res.json() };
};
const summary = async () => (await get('/api/v1/summary')).body;

async function enroll(hostname: string, group: string, permitRootLogin: string) {
  const agent = await TestAgent.connect(t.url, await createEnrollmentToken(t.db, { name: hostname, group }));
  agent.send(hello(hostname));
  const hostId = (await agent.next('welcome')).payload.hostId;
  agent.send(snapshot(1, hostFacts(hostname, permitRootLogin)));
  await agent.next('ack');
  return { agent, hostId };
}

// web-1 passes root login at first and regresses between the two samples; db-1 fails it throughout.
const web = await enroll('web-1', 'web', 'no');
const db = await enroll('db-1', 'db', 'yes');
// Samples two and three days back (hours 01:00 and 03:00 UTC), far from the start-up sample.
const day = new Date(Math.floor(startedAt.getTime() / 86_400_000) * 86_400_000 - 3 * 86_400_000);
const t1 = new Date(day.getTime() + HOUR);
const t2 = new Date(day.getTime() + 3 * HOUR);
const since = new Date(day.getTime() - HOUR).toISOString();

describe('score history', () => {
  it('takes a sample at start-up', async () => {
    await expect.poll(() => t.db.prisma.scoreSample.count({ where: { scope: 'fleet', at: { gte: startedAt } } })).toBe(1);
  });

  it('samples hosts, groups and the fleet in one go, at most once per half interval', async () => {
    expect(await t.app.maintenance.sampleScores(t1)).toBe(5);
    expect(await t.app.maintenance.sampleScores(new Date(t1.getTime() + 60_000))).toBe(0);
    web.agent.send(delta(2, hostFacts('web-1', 'no'), hostFacts('web-1', 'yes')));
    await web.agent.next('ack');
    expect(await t.app.maintenance.sampleScores(t2)).toBe(5);
  });

  it('gives the fleet trend with and without waivers, ending with the current score', async () => {
    const res = await get(`/api/v1/summary/trend?since=${since}&bucket=hour`);
    expect(res.status).toBe(200);
    const points = res.body.points;
    expect(points.slice(0, 2).map((p: { at: string }) => p.at)).toEqual([t1.toISOString(), t2.toISOString()]);
    expect(points[0].score).toBeGreaterThan(points[1].score);
    expect(points[0]).toMatchObject({ hosts: 2, scoreWithWaivers: expect.any(Number) });
    const now = (await summary()).fleet;
    expect(points.at(-1)).toMatchObject({ score: now.score, scoreWithWaivers: now.scoreWithWaivers, hosts: 2 });
  });

  it('keeps the last sample of each day with bucket=day, and narrows to a group', async () => {
    const daily = (await get(`/api/v1/summary/trend?since=${since}&bucket=day&group=web`)).body.points;
    expect(daily[0]).toMatchObject({ at: t2.toISOString(), hosts: 1 });
    expect(daily.filter((p: { at: string }) => p.at < startedAt.toISOString())).toHaveLength(1);
    const webNow = (await summary()).groups.find((g: { name: string }) => g.name === 'web');
    expect(daily.at(-1)).toMatchObject({ score: webNow.score, hosts: 1 });
  });

  it('gives a host trend ending with its current score', async () => {
    const points = (await get(`/api/v1/hosts/${web.hostId}/trend?since=${since}`)).body.points;
    expect(points.slice(0, 2).map((p: { at: string }) => p.at)).toEqual([t1.toISOString(), t2.toISOString()]);
    expect(points[0].score).toBeGreaterThan(points[1].score);
    const host = await t.db.prisma.host.findUniqueOrThrow({ where: { id: web.hostId } });
    expect(points.at(-1)).toMatchObject({ score: host.score, scoreWithWaivers: host.scoreWaived });
  });

  it('answers bad parameters with 400 and unknown groups or hosts with 404', async () => {
    for (const url of ['/api/v1/summary/trend?bucket=week', '/api/v1/summary/trend?since=yesterday', '/api/v1/hosts/not-a-uuid/trend']) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.body.code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
    }
    for (const url of ['/api/v1/summary/trend?group=nope', '/api/v1/hosts/00000000-0000-4000-8000-000000000000/trend']) {
      const res = await get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.code).toBe('PLUMBLINE_ERR_NOT_FOUND');
    }
  });

  it('is described in the OpenAPI document', async () => {
    const paths = Object.keys((await get('/api/openapi.json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/summary/trend', '/api/v1/hosts/{id}/trend']));
  });
});

describe('waiver expiry sweep', () => {
  it('rescores hosts once their waiver expires and tells live clients the new score', async () => {
    const events: BusEvent[] = [];
    const unsubscribe = t.bus.subscribe((e) => events.push(e));
    const unwaived = await summary();
    const expiresAt = new Date(Date.now() + HOUR);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/waivers',
      headers: { authorization: `Bearer ${admin}` },
      payload: {
        ruleId: ROOT_LOGIN,
        scope: { type: 'host', id: db.hostId },
        justification: 'database host migrates next week',
        expiresAt: expiresAt.toISOString(),
      },
    });
    expect(created.statusCode).toBe(201);
    const waived = (await summary()).fleet;
    expect(waived.scoreWithWaivers).toBeGreaterThan(unwaived.fleet.scoreWithWaivers);
    await expect
      .poll(() => events.find((e) => e.type === 'host.updated' && e.hostId === db.hostId))
      .toMatchObject({ scoreWaived: expect.any(Number) });

    // Before the expiry nothing is due; a second after it, the host is rescored, once.
    expect(await t.app.maintenance.sweepWaivers(new Date(expiresAt.getTime() - 1000))).toEqual([]);
    events.length = 0;
    expect(await t.app.maintenance.sweepWaivers(new Date(expiresAt.getTime() + 1000))).toEqual([db.hostId]);
    expect(await t.app.maintenance.sweepWaivers(new Date(expiresAt.getTime() + 2000))).toEqual([]);

    const after = await summary();
    expect(after.fleet).toMatchObject({ score: unwaived.fleet.score, scoreWithWaivers: unwaived.fleet.scoreWithWaivers });
    expect(after.fleet.counts.waived).toBe(0);
    const host = await t.db.prisma.host.findUniqueOrThrow({ where: { id: db.hostId } });
    expect(host.scoreWaived).toBe(host.score);
    await expect
      .poll(() => events.find((e) => e.type === 'host.updated' && e.hostId === db.hostId))
      .toMatchObject({ score: host.score, scoreWaived: host.score });
    unsubscribe();
  });
});

describe('score history retention', () => {
  it('thins samples older than 14 days to one a day and drops those older than 400 days', async () => {
    const old = new Date(day.getTime() - 15 * 86_400_000);
    await t.app.maintenance.sampleScores(new Date(old.getTime() + HOUR));
    await t.app.maintenance.sampleScores(new Date(old.getTime() + 5 * HOUR));
    await t.app.maintenance.sampleScores(new Date(startedAt.getTime() - 401 * 86_400_000));
    // Compaction runs with every sample; this one is skipped (the start-up sample is near) but still compacts.
    expect(await t.app.maintenance.sampleScores(new Date())).toBe(0);
    const left = await t.db.prisma.scoreSample.findMany({
      where: { scope: 'fleet', at: { lt: new Date(startedAt.getTime() - 14 * 86_400_000) } },
    });
    expect(left.map((s) => s.at.toISOString())).toEqual([new Date(old.getTime() + 5 * HOUR).toISOString()]);
    expect(
      await t.db.prisma.scoreSample.count({ where: { scope: 'host', at: { lt: new Date(startedAt.getTime() - 14 * 86_400_000) } } }),
    ).toBe(2);
    web.agent.close();
    db.agent.close();
  });
});
