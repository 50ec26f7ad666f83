import { describe, expect, it, vi } from 'vitest';
import { pruneHistory } from '../src/history/retention';
import { build, onPostgres } from './helper';
import { reportFleet, ROOT_LOGIN } from './reports-fixture';

const t = await build();
const { admin, hosts } = await reportFleet(t);
const prisma = t.db.prisma;
// The server runs retention once at start-up (a checkpoint as of now). Until that run ends it
// holds the replicas' lock, and a call made meanwhile returns null: wait for its checkpoint.
await vi.waitFor(async () => expect(await prisma.historyCheckpoint.count()).toBeGreaterThan(0), { timeout: 10_000, interval: 50 });

const report = async (asOf: string) => {
  const res = await t.app.inject({
    method: 'GET',
    url: `/api/v1/reports?format=json&asOf=${asOf}`,
    headers: { authorization: `Bearer ${admin}` },
  });
  return { status: res.statusCode, body: JSON.parse(res.body) };
};
const rootLoginOf = (body: { results: { ruleId: string; status: string; host: { hostname: string } }[] }, host: string) =>
  body.results.find((r) => r.ruleId === ROOT_LOGIN && r.host.hostname === host)?.status;
const count = async (table: string, hostId: string) =>
  Number((await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table} WHERE host_id = $1::uuid`, hostId))[0]!.n);

describe('history retention with checkpoints', () => {
  // web-1 passed the root-login rule from 1 January 2026 and fails it from 1 February; db-1 passes throughout.
  it('thins verdict history before the cut-off to the state as of it, and drops older fact changes and drift', async () => {
    const web = hosts['web-1']!;
    const before = {
      results: await count('result_changes', web),
      facts: await count('fact_changes', web),
      drift: await count('drift_events', web),
    };
    expect(before.facts).toBeGreaterThan(0);
    expect(before.drift).toBeGreaterThan(0);

    // 365 days kept, seen from 1 March 2027: the cut-off is 1 March 2026, after both changes.
    const run = await pruneHistory(prisma, new Date('2027-03-01T00:00:00Z'), 365);
    expect(run?.cutoff.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(run!.resultChanges).toBeGreaterThan(0);
    const rootLogin = await prisma.resultChange.findMany({ where: { hostId: web, ruleId: ROOT_LOGIN }, orderBy: { observedAt: 'asc' } });
    expect(rootLogin.map((c) => c.after)).toEqual(['fail']);
    // One row per host and rule is left: the checkpoint.
    const perRule = await prisma.$queryRawUnsafe<{ n: bigint }[]>(
      `SELECT count(*) AS n FROM result_changes GROUP BY host_id, rule_id HAVING count(*) > 1`,
    );
    expect(perRule).toEqual([]);
    expect(await count('fact_changes', web)).toBe(0);
    expect(await count('drift_events', web)).toBe(0);
  });

  it('keeps reports after the checkpoint exact and refuses one as of an earlier time', async () => {
    const after = await report('2026-06-01T00:00:00.000Z');
    expect(after.status).toBe(200);
    expect(rootLoginOf(after.body, 'web-1')).toBe('fail');
    expect(rootLoginOf(after.body, 'db-1')).toBe('pass');

    const earlier = await report('2026-01-15T00:00:00.000Z');
    expect(earlier.status).toBe(400);
    expect(earlier.body.code).toBe('PLUMBLINE_ERR_BEFORE_RETENTION');
    expect(earlier.body.message).toContain('2026-03-01T00:00:00.000Z');
  });

  it('runs at most once per six hours, so replicas and restarts do not repeat it', async () => {
    const checkpoints = await prisma.historyCheckpoint.count();
    expect(await pruneHistory(prisma, new Date('2027-03-01T01:00:00Z'), 365)).toBeNull();
    expect(await prisma.historyCheckpoint.count()).toBe(checkpoints);
    expect(await pruneHistory(prisma, new Date('2027-03-01T07:00:00Z'), 365)).not.toBeNull();
  });

  it('waits for a connection behind busy transactions instead of giving up after two seconds', async () => {
    // Every pooled connection (one on the embedded database) is held by a transaction, as
    // agents' ingests hold them under load, for longer than the ORM's default wait.
    const connections = onPostgres ? 10 : 1;
    let release = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const busy = Array.from({ length: connections }, () =>
      prisma.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe('SELECT 1');
          await released;
        },
        { maxWait: 10_000, timeout: 30_000 },
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const run = pruneHistory(prisma, new Date('2027-03-02T00:00:00Z'), 365).then(
      (done) => ({ done }),
      (err: Error) => ({ err: err.message }),
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    release();
    await Promise.all(busy);
    const outcome = await run;
    expect(outcome).toEqual({ done: expect.objectContaining({ cutoff: new Date('2026-03-02T00:00:00Z') }) });
  }, 30_000);
});

describe('retention of known-vulnerability findings', () => {
  // A year of findings on db-1, as matching would have kept them (spans are written with the
  // server's clock, so the past is written here): seen from, seen until (null: still open).
  const spans: [string, string, string | null][] = [
    ['CVE-2099-0001', '2026-01-01T00:00:00Z', '2026-02-01T00:00:00Z'], // gone before the window
    ['CVE-2099-0002', '2026-01-01T00:00:00Z', null], // open since before the window
    ['CVE-2099-0003', '2026-02-01T00:00:00Z', '2026-04-01T00:00:00Z'], // open at the window's start, fixed inside it
    ['CVE-2099-0004', '2026-05-01T00:00:00Z', '2026-06-01T00:00:00Z'], // inside the window
    ['CVE-2099-0005', '2026-01-01T00:00:00Z', '2026-03-10T00:00:00Z'], // fixed exactly at the window's start
  ];
  const cvesAsOf = async (asOf: string) => {
    const r = await report(asOf);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    return (r.body.vulnerabilities.findings as { cve: string }[]).map((f) => f.cve).sort();
  };

  it('drops the spans that ended before the cut-off and keeps those open at it, so findings as of any date in the window stay exact', async () => {
    const db = hosts['db-1']!;
    for (const [cve, from, until] of spans)
      await prisma.$executeRawUnsafe(
        `INSERT INTO vuln_finding_history (host_id, cve, source, installed_version, packages, state, exposure, listeners, priority, seen_from, seen_until)
         VALUES ($1::uuid, $2, 'openssl', '3.0.11-1~deb12u2', ARRAY['libssl3'], 'fix_available', 'installed', ARRAY[]::text[], 40, $3::timestamptz, $4::timestamptz)`,
        db,
        cve,
        from,
        until,
      );
    const before = { march: await cvesAsOf('2026-03-15T00:00:00.000Z'), may: await cvesAsOf('2026-05-15T00:00:00.000Z') };
    expect(before.march).toEqual(['CVE-2099-0002', 'CVE-2099-0003']);

    // 365 days kept, seen from 10 March 2027: the window starts on 10 March 2026.
    const run = await pruneHistory(prisma, new Date('2027-03-10T00:00:00Z'), 365);
    expect(run).toMatchObject({ cutoff: new Date('2026-03-10T00:00:00Z'), findingSpans: 2 });
    expect((await prisma.historyCheckpoint.findFirstOrThrow({ orderBy: { cutoff: 'desc' } })).findingSpans).toBe(2);
    const left = await prisma.vulnFindingSpan.findMany({ where: { hostId: db }, orderBy: { cve: 'asc' } });
    expect(left.map((s) => s.cve)).toEqual(['CVE-2099-0002', 'CVE-2099-0003', 'CVE-2099-0004']);

    // Every date in the window reads as before: the window's first moment, March, May, now.
    expect(await cvesAsOf('2026-03-10T00:00:00.000Z')).toEqual(['CVE-2099-0002', 'CVE-2099-0003']);
    expect(await cvesAsOf('2026-03-15T00:00:00.000Z')).toEqual(before.march);
    expect(await cvesAsOf('2026-05-15T00:00:00.000Z')).toEqual(before.may);
    expect(before.may).toEqual(['CVE-2099-0002', 'CVE-2099-0004']);
    expect((await report('2026-03-09T00:00:00.000Z')).body.code).toBe('PLUMBLINE_ERR_BEFORE_RETENTION');
  });
});
