import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from '../agent-client';
import { build } from '../helper';

/**
 * An agent whose clock is years off (a dead RTC battery, a VM restored from an old
 * image). The order of what happened comes from sequence numbers, never from the agent's
 * clock: the facts held are those of the highest sequence number, a replay with a later
 * timestamp changes nothing, and the time the server received each change is its own.
 * How the skew is flagged and corrected is in clock-skew-flag.test.ts.
 */
const { app, db, url } = await build();

const years = (n: number) => new Date(Date.now() + n * 365 * 24 * 3600 * 1000).toISOString();

describe('an agent clock far off', () => {
  it('keeps the order of sequence numbers, whatever the timestamps say', async () => {
    const key = await createApiKey(db, 'skew', 'admin');
    const headers = { authorization: `Bearer ${key}` };
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'skew' }));
    const greeting = hello('skew-host');
    if (greeting.type === 'hello') greeting.payload.sentAt = years(20);
    agent.send(greeting);
    await agent.next('welcome');
    const [a, b, c] = [hostFacts('skew-host', 'no'), hostFacts('skew-host', 'yes'), hostFacts('skew-host', 'prohibit-password')];
    const before = Date.now();

    // 20 years ahead, then 25 years back, then 30 years ahead again.
    agent.send(snapshot(1, a, years(20)));
    expect((await agent.next('ack')).seq).toBe(1);
    agent.send(delta(2, a, b, years(-25)));
    expect((await agent.next('ack')).seq).toBe(2);
    agent.send(delta(3, b, c, years(30)));
    expect((await agent.next('ack')).seq).toBe(3);
    // A replay of 2 with a timestamp later than any: acknowledged as already stored, nothing changes.
    agent.send(delta(2, a, b, years(50)));
    expect((await agent.next('ack')).seq).toBe(3);
    agent.close();

    const hostId = (await app.inject({ method: 'GET', url: '/api/v1/hosts', headers })).json().items[0].id;
    const detail = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}`, headers })).json();
    expect(detail.facts.sshd_config.settings.permitrootlogin.value).toBe('prohibit-password');
    // Received when the server got it, by the server's clock.
    expect(Date.parse(detail.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(detail.receivedAt)).toBeLessThanOrEqual(Date.now() + 1000);

    const changes = (await app.inject({ method: 'GET', url: `/api/v1/hosts/${hostId}/changes?limit=100`, headers })).json();
    const values = changes.items
      .filter((ch: { path: string }) => ch.path.endsWith('permitrootlogin.value'))
      .map((ch: { after: unknown }) => ch.after);
    // Both changes stored once; the replay added nothing.
    expect(values.toSorted()).toEqual(['prohibit-password', 'yes']);
    for (const ch of changes.items) {
      expect(Date.parse(ch.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(Date.parse(ch.receivedAt)).toBeLessThanOrEqual(Date.now() + 1000);
    }
  });
});
