import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CliError } from '../src/cli/printer';
import { verifyReport } from '../src/cli/reports';
import { ReportScheduler } from '../src/outbound/report-scheduler';
import { databaseKeys } from '../src/reports/trust';
import { ensureSigningKey, verifyDigest } from '../src/signing/key';
import { apiCaller, build } from './helper';
import { receiver } from './receiver';
import { reportFleet } from './reports-fixture';

const t = await build({ outboundPollMs: 3_600_000 });
const { admin, auditor } = await reportFleet(t);
const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-schedules-'));
const keyFile = path.join(await mkdtemp(path.join(tmpdir(), 'plumbline-schedules-key-')), 'public-key.json');
await writeFile(keyFile, (await t.app.inject({ method: 'GET', url: '/api/v1/reports/public-key' })).body);
const publicKey = JSON.parse(await readFile(keyFile, 'utf8')).publicKey as string;

const call = apiCaller(t, admin);
const create = (body: unknown, key = admin) => call('POST', '/api/v1/report-schedules', key, body);
const schedule = async (id: string) => (await call('GET', '/api/v1/report-schedules')).body.items.find((s: { id: string }) => s.id === id);
const verifyExit = (file: string) =>
  verifyReport(file, { publicKey: keyFile }, () => databaseKeys(t.db.prisma, 'the test database')).then(
    () => 0,
    (e: unknown) => (e instanceof CliError ? e.exitCode : -1),
  );
const auditOf = async (action: string) =>
  ((await call('GET', '/api/v1/audit?limit=1000')).body.items as { actor: string; action: string; details: { sha256?: string } }[]).filter(
    (e) => e.action === action,
  );

describe('scheduled reports', () => {
  it('a due schedule writes REPORT and REPORT.sig (dated) into its directory; verify accepts them; the run is audited', async () => {
    const res = await create({
      name: 'nightly csv',
      cadence: 'daily',
      hour: 2,
      report: { format: 'csv', scope: 'group:web' },
      destination: { type: 'directory', path: dir },
    });
    expect(res.status).toBe(201);
    expect(new Date(res.body.nextRunAt).getUTCHours()).toBe(2);
    expect(new Date(res.body.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    // Make it due, then let the scheduler find it.
    await t.db.prisma.reportSchedule.update({ where: { id: res.body.id }, data: { nextRunAt: new Date(Date.now() - 60_000) } });
    await t.app.reportScheduler.tick();

    const files = (await readdir(dir)).sort();
    expect(files).toHaveLength(2);
    const [report, sig] = files as [string, string];
    expect(report).toMatch(/^plumbline-report-group-web-\d{4}-\d{2}-\d{2}-\d{6}\.csv$/);
    expect(sig).toBe(`${report}.sig`);
    expect(await verifyExit(path.join(dir, report))).toBe(0);
    const text = await readFile(path.join(dir, report), 'utf8');
    expect(text).toContain('web-1');
    expect(text).not.toContain('db-1');

    const after = await schedule(res.body.id);
    expect(after).toMatchObject({ lastStatus: 'ok', lastError: null, lastResult: path.join(dir, report) });
    expect(new Date(after.nextRunAt).getTime()).toBeGreaterThan(Date.now());
    const exports = await auditOf('report.export');
    const signed = JSON.parse(await readFile(path.join(dir, sig), 'utf8'));
    expect(exports).toContainEqual(
      expect.objectContaining({ actor: 'schedule:nightly csv', details: expect.objectContaining({ sha256: signed.sha256 }) }),
    );

    // Not due any more: another pass writes nothing.
    await t.app.reportScheduler.tick();
    expect(await readdir(dir)).toHaveLength(2);
  });

  it('two schedulers on one database run a due occurrence once', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'plumbline-schedules-pair-'));
    const res = await create({
      name: 'pair',
      cadence: 'daily',
      hour: 4,
      report: { format: 'json', scope: 'group:db' },
      destination: { type: 'directory', path: own },
    });
    await t.db.prisma.reportSchedule.update({ where: { id: res.body.id }, data: { nextRunAt: new Date(Date.now() - 60_000) } });
    const key = await ensureSigningKey(t.db.prisma);
    const other = new ReportScheduler(
      t.db.prisma,
      t.app.log,
      () => t.app.policy.content,
      key,
      { allowPrivate: true, timeoutMs: 5000 },
      3_600_000,
    );
    await Promise.all([t.app.reportScheduler.tick(), other.tick()]);
    await other.stop();
    expect((await readdir(own)).filter((f) => f.endsWith('.json'))).toHaveLength(1);
    expect((await auditOf('report.export')).filter((e) => e.actor === 'schedule:pair')).toHaveLength(1);
    expect((await call('DELETE', `/api/v1/report-schedules/${res.body.id}`)).status).toBe(200);
  });

  it('verify refuses the scheduled report once a byte changed', async () => {
    const report = (await readdir(dir)).find((f) => f.endsWith('.csv'))!;
    const file = path.join(dir, report);
    await writeFile(file, `${await readFile(file, 'utf8')} `);
    expect(await verifyExit(file)).toBe(1);
  });

  it('a webhook destination receives the report with a valid X-Plumbline-Signature; run now works', async () => {
    const hook = await receiver();
    const res = await create({
      name: 'weekly json',
      cadence: 'weekly',
      weekday: 1,
      hour: 7,
      report: { format: 'json', waivers: false },
      destination: { type: 'webhook', url: hook.url },
    });
    expect(res.status).toBe(201);
    expect(res.body.destination).toEqual({ type: 'webhook', target: hook.url.replace(/\/hook.*$/, '/…') });
    expect(new Date(res.body.nextRunAt).getUTCDay()).toBe(1);

    const run = await call('POST', `/api/v1/report-schedules/${res.body.id}/run`);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ ok: true, result: 'HTTP 200', error: null, schedule: { lastStatus: 'ok' } });
    expect(hook.received).toHaveLength(1);
    const r = hook.received[0]!;
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['x-plumbline-content-sha256']).toBe(createHash('sha256').update(r.body).digest('hex'));
    const sha512 = createHash('sha512').update(r.body).digest();
    expect(verifyDigest(publicKey, sha512, String(r.headers['x-plumbline-signature']))).toBe(true);
    expect(
      verifyDigest(
        publicKey,
        createHash('sha512')
          .update(Buffer.concat([r.body, Buffer.from(' ')]))
          .digest(),
        String(r.headers['x-plumbline-signature']),
      ),
    ).toBe(false);
    expect(JSON.parse(r.body.toString())).toMatchObject({ scope: 'fleet', waivers: false, summary: { hosts: 2 } });
    // A run now does not move the planned run.
    expect((await schedule(res.body.id)).nextRunAt).toBe(res.body.nextRunAt);
  });

  it('a receiver that refuses the report leaves the error on the schedule, and no export is recorded', async () => {
    const hook = await receiver({ answer: () => 500 });
    const res = await create({
      name: 'broken receiver',
      cadence: 'daily',
      hour: 3,
      report: { format: 'csv' },
      destination: { type: 'webhook', url: hook.url },
    });
    const exportsBefore = (await auditOf('report.export')).length;
    const run = await call('POST', `/api/v1/report-schedules/${res.body.id}/run`);
    expect(run.body).toMatchObject({
      ok: false,
      error: 'receiver answered HTTP 500',
      schedule: { lastStatus: 'error', lastError: 'receiver answered HTTP 500' },
    });
    expect((await auditOf('report.export')).length).toBe(exportsBefore);
  });

  it('refuses a bad schedule with a specific error and stores nothing', async () => {
    const before = (await call('GET', '/api/v1/report-schedules')).body.total;
    const ok = { name: 'x', cadence: 'daily', hour: 1, report: { format: 'csv' }, destination: { type: 'directory', path: dir } };
    const cases: [unknown, string, RegExp][] = [
      [{ ...ok, cadence: 'hourly' }, 'PLUMBLINE_ERR_BAD_REQUEST', /cadence is daily or weekly/],
      [{ ...ok, cadence: 'weekly' }, 'PLUMBLINE_ERR_BAD_REQUEST', /weekday/],
      [{ ...ok, weekday: 3 }, 'PLUMBLINE_ERR_BAD_REQUEST', /daily schedule takes no weekday/],
      [{ ...ok, hour: 24 }, 'PLUMBLINE_ERR_BAD_REQUEST', /hour is 0 to 23/],
      [{ ...ok, report: { format: 'docx' } }, 'PLUMBLINE_ERR_BAD_REQUEST', /format is one of/],
      [{ ...ok, report: { format: 'csv', profile: 'nope' } }, 'PLUMBLINE_ERR_BAD_REQUEST', /unknown profile 'nope'/],
      [{ ...ok, report: { format: 'csv', scope: 'planet:mars' } }, 'PLUMBLINE_ERR_BAD_REQUEST', /scope is fleet/],
      [{ ...ok, destination: { type: 'directory', path: 'relative/dir' } }, 'PLUMBLINE_ERR_BAD_DESTINATION', /absolute path/],
      [{ ...ok, destination: { type: 'directory', path: path.join(dir, 'missing') } }, 'PLUMBLINE_ERR_BAD_DESTINATION', /not a directory/],
      [{ ...ok, destination: { type: 'webhook', url: 'ftp://example.com/in' } }, 'PLUMBLINE_ERR_BAD_URL', /only http and https/],
      [{ ...ok, destination: { type: 'email', to: 'a@b' } }, 'PLUMBLINE_ERR_BAD_REQUEST', /destination/],
    ];
    for (const [body, code, message] of cases) {
      const res = await create(body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code, JSON.stringify(body)).toBe(code);
      expect(res.body.message, JSON.stringify(body)).toMatch(message);
    }
    expect((await create({ ...ok, name: 'nightly csv' })).status).toBe(409);
    expect((await call('GET', '/api/v1/report-schedules')).body.total).toBe(before);
  });

  it('is admin-only for writes and runs: an auditor gets 403, and can list; delete is audited', async () => {
    const list = await call('GET', '/api/v1/report-schedules', auditor);
    expect(list.status).toBe(200);
    const id = list.body.items[0].id as string;
    expect(
      (
        await create(
          { name: 'sneaky', cadence: 'daily', hour: 1, report: { format: 'csv' }, destination: { type: 'directory', path: dir } },
          auditor,
        )
      ).status,
    ).toBe(403);
    expect((await call('POST', `/api/v1/report-schedules/${id}/run`, auditor)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/report-schedules/${id}`, auditor)).status).toBe(403);
    expect((await call('GET', '/api/v1/report-schedules')).body.total).toBe(list.body.total);

    expect((await call('DELETE', `/api/v1/report-schedules/${id}`)).status).toBe(200);
    expect((await call('GET', '/api/v1/report-schedules')).body.total).toBe(list.body.total - 1);
    expect((await auditOf('report-schedule.delete')).length).toBe(2);
    expect((await auditOf('report-schedule.create')).length).toBe(4);
  });

  it('xccdf, arf and evidence pack schedules write signed files that verify, the pack in full', async () => {
    const own = await mkdtemp(path.join(tmpdir(), 'plumbline-schedules-scap-'));
    for (const format of ['xccdf', 'arf', 'pack']) {
      const res = await create({
        name: `weekly ${format}`,
        cadence: 'weekly',
        weekday: 1,
        hour: 3,
        report: { format },
        destination: { type: 'directory', path: own },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.report.format).toBe(format);
      const run = await call('POST', `/api/v1/report-schedules/${res.body.id}/run`);
      expect(run.body, JSON.stringify(run.body)).toMatchObject({ ok: true });
    }
    const files = (await readdir(own)).sort();
    const reports = files.filter((f) => !f.endsWith('.sig'));
    expect(reports.map((f) => f.replace(/^.*-\d{6}\./, '')).sort()).toEqual(['arf.xml', 'pack.zip', 'xccdf.xml']);
    for (const f of reports) expect(await verifyExit(path.join(own, f)), f).toBe(0);
  });
});
