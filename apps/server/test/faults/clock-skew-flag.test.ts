import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from '../agent-client';
import { build } from '../helper';

/**
 * An agent clock 20 years ahead (clock-skew.test.ts covers the ordering by sequence
 * numbers): the server measures the skew at hello, flags the host, moves the agent's
 * timestamps onto its own clock before judging or storing them, and lists the history in
 * the agent's own order.
 */
const { app, db, url } = await build();
const YEAR_MS = 365 * 24 * 3600 * 1000;
const ahead = (years: number) => new Date(Date.now() + years * YEAR_MS).toISOString();

describe('an agent clock far off, flagged', () => {
  it('is flagged on the host, judged by the server clock, and keeps its history in sequence order', async () => {
    const headers = { authorization: `Bearer ${await createApiKey(db, 'skew', 'admin')}` };
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'skew' }));
    const greeting = hello('clockless');
    if (greeting.type === 'hello') greeting.payload.sentAt = ahead(20);
    agent.send(greeting);
    await agent.next('welcome');
    const before = Date.now();
    const [a, b, c] = [hostFacts('clockless', 'no'), hostFacts('clockless', 'yes'), hostFacts('clockless', 'prohibit-password')];
    agent.send(snapshot(1, a, ahead(20)));
    await agent.next('ack');
    agent.send(delta(2, a, b, ahead(20)));
    await agent.next('ack');
    // Dated a year before the previous message by the agent's clock: still the newer change.
    agent.send(delta(3, b, c, ahead(19)));
    await agent.next('ack');
    agent.close();

    const hostId = (await app.inject({ method: 'GET', url: '/api/v1/hosts', headers })).json().items[0].id;
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(detail.clockSkewed).toBe(true);
    expect(detail.clockSkewSeconds).toBeGreaterThan((19 * YEAR_MS) / 1000);

    const changes = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/changes?limit=100`, headers })).json();
    const root = changes.items.filter((ch: { path: string }) => ch.path.endsWith('permitrootlogin.value'));
    expect(root.map((ch: { after: unknown }) => ch.after)).toEqual(['prohibit-password', 'yes']);
    // Observed times are on the server's clock: never after their receipt, not 20 years ahead.
    for (const ch of changes.items) expect(Date.parse(ch.observedAt)).toBeLessThanOrEqual(Date.parse(ch.receivedAt));

    // The rule failed at seq 2: its first-failed time is the server's, not the agent's.
    const results = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/results?limit=1000`, headers })).json();
    const rootLogin = results.items.find((r: { ruleId: string }) => r.ruleId === 'plb-ssh-permit-root-login');
    expect(rootLogin.status).toBe('fail');
    expect(Date.parse(rootLogin.firstFailedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(rootLogin.firstFailedAt)).toBeLessThanOrEqual(Date.now() + 1000);
  });

  it('is not flagged for an honest clock', async () => {
    const headers = { authorization: `Bearer ${await createApiKey(db, 'skew-ok', 'admin')}` };
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'honest' }));
    agent.send(hello('honest'));
    const { hostId } = (await agent.next('welcome')).payload;
    agent.close();
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(detail.clockSkewed).toBe(false);
    expect(Math.abs(detail.clockSkewSeconds)).toBeLessThanOrEqual(5);
  });
});
