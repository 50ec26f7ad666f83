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
      summary: string;
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
      expect.objectContaining({
        direction: 'improvement',
        observedAt: '2026-11-01T12:00:00.000Z',
        firstFailedAt: '2026-11-01T10:00:00.000Z',
      }),
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

/** db-1 edits its sshd_config once, then only moves the lines (a comment added at the top). */
const dbToken = await createEnrollmentToken(t.db, { name: 'db', group: 'db' });
const dbAgent = await TestAgent.connect(t.url, dbToken);
dbAgent.send(hello('db-1'));
const dbHost = (await dbAgent.next('welcome')).payload.hostId as string;
const dbFacts = (permit: string, line: number) => {
  const f = hostFacts('db-1', permit);
  (f.sshd_config as { settings: Record<string, { line: number }> }).settings.permitrootlogin!.line = line;
  return f;
};
dbAgent.send(snapshot(1, dbFacts('no', 3), '2026-11-02T08:00:00.000Z'));
await dbAgent.next('ack');
dbAgent.send(delta(2, dbFacts('no', 3), dbFacts('yes', 3), '2026-11-02T09:00:00.000Z'));
await dbAgent.next('ack');
dbAgent.send(delta(3, dbFacts('yes', 3), dbFacts('yes', 4), '2026-11-02T10:00:00.000Z'));
await dbAgent.next('ack');
dbAgent.close();

describe('drift an operator reads', () => {
  it('makes one edited sshd line one fact event, readable both sides, plus its compliance effect', async () => {
    const all = await drift(`host=${dbHost}&since=2026-11-02T08:30:00.000Z&until=2026-11-02T09:30:00.000Z&limit=100`);
    const facts = all.items.filter((i) => i.kind === 'fact');
    expect(facts).toEqual([
      expect.objectContaining({
        path: 'sshd_config.settings.permitrootlogin',
        summary: 'sshd_config: PermitRootLogin no -> yes, /etc/ssh/sshd_config:3',
        beforeText: 'no',
        afterText: 'yes',
        location: '/etc/ssh/sshd_config:3',
        direction: 'change',
        baseline: null,
      }),
    ]);
    expect(all.items.filter((i) => i.kind === 'compliance')).toEqual([
      expect.objectContaining({
        ruleId: ROOT_LOGIN,
        direction: 'regression',
        ruleTitle: expect.any(String),
        summary: expect.stringMatching(/pass -> fail$/),
      }),
    ]);
    expect(all.total).toBe(2);
  });

  it('keeps a change of line numbers alone in the fact history, not in drift', async () => {
    expect((await drift(`host=${dbHost}&since=2026-11-02T09:30:00.000Z`)).total).toBe(0);
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/hosts/${dbHost}/changes?limit=100`,
      headers: { authorization: `Bearer ${admin}` },
    });
    const lines = (res.json() as { items: Array<{ path: string; before: unknown; after: unknown }> }).items.filter((c) =>
      c.path.endsWith('permitrootlogin.line'),
    );
    expect(lines).toEqual([expect.objectContaining({ before: 3, after: 4 })]);
  });

  it('filters by direction, text and time range', async () => {
    const improvements = await drift('direction=improvement&limit=1000');
    expect(improvements.items.length).toBeGreaterThan(0);
    expect(improvements.items.every((i) => i.direction === 'improvement' && i.hostname === 'web-1')).toBe(true);
    const searched = await drift('q=permitrootlogin&host=db-1');
    expect(searched.total).toBe(1);
    const byTitle = await drift(`q=${encodeURIComponent('cannot log in')}&kind=compliance&host=db-1`);
    expect(byTitle.items.map((i) => i.ruleId)).toEqual([ROOT_LOGIN]);
    expect((await drift('q=no-such-thing-anywhere')).total).toBe(0);
    expect((await drift('until=2026-11-01T10:30:00.000Z&limit=1000')).items.every((i) => i.observedAt < '2026-11-01T10:30:00.000Z')).toBe(
      true,
    );
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/drift?direction=sideways',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'PLUMBLINE_ERR_BAD_REQUEST']);
  });

  it('downloads as CSV exactly as filtered, readable columns and no raw JSON', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/drift?format=csv&host=${dbHost}`,
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toContain('summary');
    expect(lines[0]!.split(',')).not.toContain('before');
    expect(lines).toHaveLength(1 + (await drift(`host=${dbHost}`)).total);
    expect(res.body).toContain('sshd_config: PermitRootLogin no -> yes, /etc/ssh/sshd_config:3');
  });
});

describe('ingest metrics', () => {
  it('count each evaluation and ingest transaction in latency histograms', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${admin}` } });
    // Eight snapshots and deltas were evaluated and stored above.
    expect(res.body).toMatch(/^plumbline_evaluation_seconds_count 8$/m);
    expect(res.body).toMatch(/^plumbline_db_transaction_seconds_count 8$/m);
    expect(res.body).toMatch(/^plumbline_evaluation_seconds_bucket\{le="\+Inf"\} 8$/m);
  });
});
