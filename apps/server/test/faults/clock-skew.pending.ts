// PENDING (not picked up by vitest: rename to clock-skew-flag.test.ts once the server does this).
//
// What the server does with an agent clock years off (clock-skew.test.ts covers what holds):
// - nothing flags it. hello carries `sentAt`, the welcome carries `serverTime`, but
//   apps/server/src/ingest/service.ts `hello()` ignores `sentAt`, and no host field,
//   log line or live event says the agent's clock is off;
// - apps/server/src/ingest/service.ts `handle()` stores `observedAt` as the agent claims it
//   and hands it to the rule engine as `now` (evaluator.evaluateAndStore -> evaluate(...,
//   { now: observedAt })): password-age rules, waiver expiry and `firstFailedAt` follow
//   the agent's clock, so a host 20 years ahead has every waiver expired;
// - apps/server/src/routes/api/hosts.ts `/hosts/:id/changes` orders by `observedAt`, so a
//   change made while the clock was ahead is listed as the newest forever.
// What should change: compute the skew at hello (sentAt - server time), store it on the
// host and flag it beyond a threshold (say 5 min); evaluate with the server's receive
// time when the skew is large; order change history by (seq, id), which is the agent's
// own order, not by a timestamp the agent makes up.
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../../src/admin';
import { delta, hello, hostFacts, snapshot, TestAgent } from '../agent-client';
import { build } from '../helper';

const { app, db, url } = await build();
const years = (n: number) => new Date(Date.now() + n * 365 * 24 * 3600 * 1000).toISOString();

describe('an agent clock far off, flagged', () => {
  it('is flagged on the host and does not reorder its history', async () => {
    const headers = { authorization: `Bearer ${await createApiKey(db, 'skew', 'admin')}` };
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'skew' }));
    const greeting = hello('clockless');
    if (greeting.type === 'hello') greeting.payload.sentAt = years(20);
    agent.send(greeting);
    await agent.next('welcome');
    const [a, b, c] = [hostFacts('clockless', 'no'), hostFacts('clockless', 'yes'), hostFacts('clockless', 'prohibit-password')];
    agent.send(snapshot(1, a));
    await agent.next('ack');
    agent.send(delta(2, a, b, years(20)));
    await agent.next('ack');
    agent.send(delta(3, b, c));
    await agent.next('ack');
    agent.close();

    const hostId = (await app.inject({ method: 'GET', url: '/api/v1/hosts', headers })).json().items[0].id;
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(JSON.stringify(detail)).toMatch(/skew/i);
    const changes = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/changes?limit=100`, headers })).json();
    const newest = changes.items.find((ch: { path: string }) => ch.path.endsWith('permitrootlogin.value'));
    expect(newest.after).toBe('prohibit-password');
  });
});
