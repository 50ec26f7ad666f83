import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { hello, TestAgent } from './agent-client';
import { build, until } from './helper';

// A process holds at most PLUMBLINE_MAX_AGENTS agent sockets (by default its open-files limit
// less a reserve), so that a reconnect storm cannot take the descriptors its database pool,
// API and files need. Five here, so that fifty agents at once overflow it.
const MAX = 5;
const t = await build({ maxAgents: MAX });
const key = await createApiKey(t.db, 'tests', 'admin');
const token = await createEnrollmentToken(t.db, { name: 'storm' });

/** Connects; an agent refused at capacity comes back as the status or close code it was given. */
async function attempt(): Promise<TestAgent | 'http 503' | 'closed 1013'> {
  try {
    const agent = await TestAgent.connect(t.url, token);
    // Upgrades that raced past the check before the upgrade are closed right after it.
    await new Promise((r) => setTimeout(r, 200));
    return agent.closed?.code === 1013 ? 'closed 1013' : agent;
  } catch (err) {
    if ((err as Error).message === 'http 503') return 'http 503';
    throw err;
  }
}

const refusedTotal = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${key}` } });
  return Number(/^plumbline_agent_connections_refused_total (\d+)/m.exec(res.body)?.[1]);
};

describe('agent connections beyond the limit', () => {
  it('holds exactly the limit when fifty agents connect at once; the rest are told to come back, and nothing of theirs is stored', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, attempt));
    const held = results.filter((r): r is TestAgent => r instanceof TestAgent);
    expect(held).toHaveLength(MAX);
    expect(results.filter((r) => r === 'http 503' || r === 'closed 1013')).toHaveLength(50 - MAX);
    expect(await refusedTotal()).toBe(50 - MAX);

    // The ones held work as agents; the refused ones left no host behind.
    await Promise.all(held.map((a, i) => (a.send(hello(`held-${i}`)), a.next('welcome'))));
    expect(await t.db.prisma.host.count()).toBe(MAX);
    // The API and the health check still answer.
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: { authorization: `Bearer ${key}` } })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    // A refusal before the upgrade says why and when to come back, before looking at the credential.
    const refused = await t.app.inject({ method: 'GET', url: '/agent/v1/ws', headers: { authorization: 'Bearer pla_forged' } });
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('30');
    expect(refused.json()).toMatchObject({ code: 'PLUMBLINE_ERR_AGENT_CAPACITY', message: expect.stringContaining(`limit of ${MAX}`) });

    // A socket that closes frees its place for the next agent.
    const [first, ...rest] = held;
    first!.close();
    await first!.waitClose();
    let next: TestAgent | null = null;
    await until(async () => {
      const r = await attempt();
      if (r instanceof TestAgent) next = r;
      return next !== null;
    });
    expect(next).not.toBeNull();
    expect(await attempt()).toMatch(/^(http 503|closed 1013)$/);
    for (const a of [...rest, next!]) a.close();
  });
});
