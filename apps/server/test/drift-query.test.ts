import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from './agent-client';
import { build } from './helper';

const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const ROOT_LOGIN = 'plb-ssh-permit-root-login';

const drift = async (query: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/drift?${query}`, headers: { authorization: `Bearer ${admin}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as {
    total: number;
    items: Array<{
      hostname: string;
      kind: string;
      ruleId: string | null;
      direction: string;
      observedAt: string;
      firstFailedAt: string | null;
    }>;
  };
};

/** Two hosts of one group: each regresses on root login; web-1 is fixed afterwards. */
async function host(hostname: string, token: string, steps: Array<[permit: string, observedAt: string]>) {
  const agent = await TestAgent.connect(t.url, token);
  agent.send(hello(hostname));
  await agent.next('welcome');
  let facts = hostFacts(hostname, 'no');
  agent.send(snapshot(1, facts, '2026-11-01T08:00:00.000Z'));
  await agent.next('ack');
  for (const [i, [permit, at]] of steps.entries()) {
    const next = hostFacts(hostname, permit);
    agent.send(delta(i + 2, facts, next, at));
    await agent.next('ack');
    facts = next;
  }
  agent.close();
}
const token = await createEnrollmentToken(t.db, { name: 'web', group: 'web', maxUses: '5' });
await host('web-1', token, [
  ['yes', '2026-11-01T10:00:00.000Z'],
  ['no', '2026-11-01T12:00:00.000Z'],
]);
await host('web-2', token, [['yes', '2026-11-01T11:00:00.000Z']]);

describe('drift filters', () => {
  it('keep the host filter when a group is given too', async () => {
    const both = await drift('group=web&limit=1000');
    expect(new Set(both.items.map((i) => i.hostname))).toEqual(new Set(['web-1', 'web-2']));
    const one = await drift('host=web-1&group=web&limit=1000');
    expect(one.total).toBeGreaterThan(0);
    expect(one.total).toBeLessThan(both.total);
    expect(new Set(one.items.map((i) => i.hostname))).toEqual(new Set(['web-1']));
    expect((await drift('host=web-1&group=other')).total).toBe(0);
  });
});

describe('compliance drift events', () => {
  it('carry the time the rule first failed, on the regression and on the fix', async () => {
    const events = (await drift(`host=web-1&kind=compliance&limit=1000`)).items.filter((i) => i.ruleId === ROOT_LOGIN);
    expect(events).toEqual([
      expect.objectContaining({ direction: 'fix', observedAt: '2026-11-01T12:00:00.000Z', firstFailedAt: '2026-11-01T10:00:00.000Z' }),
      expect.objectContaining({
        direction: 'regression',
        observedAt: '2026-11-01T10:00:00.000Z',
        firstFailedAt: '2026-11-01T10:00:00.000Z',
      }),
    ]);
    const other = (await drift(`host=web-2&kind=compliance`)).items.find((i) => i.ruleId === ROOT_LOGIN);
    expect(other).toMatchObject({ direction: 'regression', firstFailedAt: '2026-11-01T11:00:00.000Z' });
  });

  it('leave it empty on fact drift', async () => {
    const facts = (await drift(`host=web-1&kind=fact`)).items;
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.every((i) => i.firstFailedAt === null)).toBe(true);
  });
});

describe('ingest metrics', () => {
  it('count each evaluation and ingest transaction in latency histograms', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${admin}` } });
    // Five snapshots and deltas were evaluated and stored above.
    expect(res.body).toMatch(/^plumbline_evaluation_seconds_count 5$/m);
    expect(res.body).toMatch(/^plumbline_db_transaction_seconds_count 5$/m);
    expect(res.body).toMatch(/^plumbline_evaluation_seconds_bucket\{le="\+Inf"\} 5$/m);
  });
});
