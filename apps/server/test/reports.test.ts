import { createHash, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS } from '../src/reports/csv';
import { build } from './helper';
import { BEFORE_CHANGE, NASTY, parseCsv, reportFleet, ROOT_LOGIN } from './reports-fixture';

const t = await build();
const { admin, auditor, hosts } = await reportFleet(t);

const get = async (query: string, key = admin) => {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/reports?${query}`, headers: { authorization: `Bearer ${key}` } });
  return { status: res.statusCode, headers: res.headers, raw: res.rawPayload, text: res.body };
};
type JsonResult = {
  host: { hostname: string };
  ruleId: string;
  status: string;
  waived: boolean;
  references: { ssg: string[] };
  evidence: { observed: string }[];
};
const rootLogin = (report: { results: JsonResult[] }, host: string) =>
  report.results.find((r) => r.ruleId === ROOT_LOGIN && r.host.hostname === host);

describe('report formats', () => {
  it('CSV: one row per host and rule, RFC 4180 quoting keeps commas, quotes and newlines in a value', async () => {
    const res = await get('format=csv');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="plumbline-report-fleet-.*\.csv"$/);
    const rows = parseCsv(res.text);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const col = (name: string) => CSV_COLUMNS.indexOf(name as (typeof CSV_COLUMNS)[number]);
    const web = rows.find((r) => r[col('hostname')] === 'web-1' && r[col('rule_id')] === ROOT_LOGIN)!;
    expect(web[col('status')]).toBe('fail');
    expect(web[col('observed')]).toContain(NASTY);
    expect(web[col('source')]).toContain('/etc/ssh/sshd_config:3');
    expect(web[col('ssg')]).toBe('sshd_disable_root_login');
    expect(web[col('group')]).toBe('web');
    expect(web[col('first_failed_at')]).toBe('2026-02-01T00:00:00.000Z');
    const hostsInCsv = new Set(rows.slice(1).map((r) => r[col('hostname')]));
    expect(hostsInCsv).toEqual(new Set(['web-1', 'db-1']));
  });

  it('JSON: summary, hosts and scan-shaped results with their host', async () => {
    const res = await get('format=json');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({
      scope: 'fleet',
      profile: null,
      waivers: true,
      summary: { hosts: 2, counts: { fail: expect.any(Number) } },
    });
    expect(body.hosts.map((h: { hostname: string }) => h.hostname)).toEqual(['db-1', 'web-1']);
    const r = rootLogin(body, 'web-1')!;
    expect(r).toMatchObject({
      status: 'fail',
      severity: expect.any(String),
      section: { id: expect.any(String) },
      references: { ssg: ['sshd_disable_root_login'] },
      waived: false,
    });
    expect(r.evidence[0]!.observed).toContain(NASTY);
    expect(rootLogin(body, 'db-1')?.status).toBe('pass');
  });

  it('as of a past date: the status before the change, and no host that had no verdict yet', async () => {
    const body = JSON.parse((await get(`format=json&asOf=${BEFORE_CHANGE}`)).text);
    expect(body.asOf).toBe(BEFORE_CHANGE);
    expect(rootLogin(body, 'web-1')?.status).toBe('pass');
    const early = JSON.parse((await get('format=json&asOf=2025-12-31')).text);
    expect(early.summary.hosts).toBe(0);
    expect(early.results).toEqual([]);
  });

  it('scope and profile narrow the report; a bad one is refused', async () => {
    const web = JSON.parse((await get('format=json&scope=group:web')).text);
    expect(new Set(web.results.map((r: JsonResult) => r.host.hostname))).toEqual(new Set(['web-1']));
    const one = JSON.parse((await get(`format=json&scope=host:${hosts['db-1']}`)).text);
    expect(one.hosts.map((h: { hostname: string }) => h.hostname)).toEqual(['db-1']);
    const edge = JSON.parse((await get('format=json&profile=edge-device')).text);
    expect(edge.results.length).toBeGreaterThan(0);
    expect(edge.results.length).toBeLessThan(web.results.length * 2);
    const nist = JSON.parse((await get('format=json&framework=nist')).text);
    expect(nist.controls.length).toBeGreaterThan(0);
    for (const q of [
      'format=docx',
      'format=csv&scope=planet:x',
      'format=csv&profile=nope',
      'format=csv&asOf=yesterday',
      'format=csv&asOf=2999-01-01',
    ]) {
      const res = await get(q);
      expect(res.status, q).toBe(400);
      expect(JSON.parse(res.text).code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
    }
  });

  it('HTML: self-contained, with the evidence escaped', async () => {
    const res = await get('format=html&scope=group:web');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.text).toContain('web-1');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(res.text).toContain('<svg');
  });

  it('PDF: a real PDF without a browser', async () => {
    const res = await get('format=pdf');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.raw.subarray(0, 5).toString()).toBe('%PDF-');
    expect(res.raw.length).toBeGreaterThan(2000);
    expect(res.raw.subarray(-6).toString()).toContain('%%EOF');
  });

  it('OSCAL: assessment-results with observations and findings that point at them', async () => {
    const body = JSON.parse((await get('format=oscal')).text);
    const ar = body['assessment-results'];
    expect(ar).toMatchObject({
      uuid: expect.any(String),
      metadata: { 'oscal-version': '1.1.2', title: expect.any(String) },
      'import-ap': { href: expect.any(String) },
    });
    const result = ar.results[0];
    expect(result['local-definitions']['inventory-items']).toHaveLength(2);
    const obs = new Set(result.observations.map((o: { uuid: string }) => o.uuid));
    const failing = result.findings.filter(
      (f: { target: { 'target-id': string; status: { state: string } } }) =>
        f.target['target-id'] === ROOT_LOGIN && f.target.status.state === 'not-satisfied',
    );
    expect(failing).toHaveLength(1);
    for (const f of result.findings) expect(obs.has(f['related-observations'][0]['observation-uuid'])).toBe(true);
  });
});

describe('signatures and audit', () => {
  it('the public key is served, and the signature header verifies the exact bytes (and not one byte changed)', async () => {
    const key = (await t.app.inject({ method: 'GET', url: '/api/v1/reports/public-key' })).json();
    expect(key).toMatchObject({
      algorithm: 'ed25519-sha512',
      keyId: expect.stringMatching(/^[0-9a-f]{32}$/),
      publicKey: expect.stringContaining('BEGIN PUBLIC KEY'),
    });
    const res = await get('format=json', auditor);
    expect(res.status).toBe(200);
    expect(res.headers['x-plumbline-key-id']).toBe(key.keyId);
    const sig = Buffer.from(String(res.headers['x-plumbline-signature']), 'base64');
    const digest = (b: Buffer) => createHash('sha512').update(b).digest();
    expect(verify(null, digest(res.raw), key.publicKey, sig)).toBe(true);
    const tampered = Buffer.from(res.raw);
    const mid = tampered.length >> 1;
    tampered[mid] = (tampered[mid] as number) ^ 1;
    expect(verify(null, digest(tampered), key.publicKey, sig)).toBe(false);
  });

  it('streams with the signature in an HTTP trailer on request', async () => {
    const res = await fetch(`${t.url}/api/v1/reports?format=csv&signature=trailer`, { headers: { authorization: `Bearer ${admin}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('trailer')?.toLowerCase()).toContain('x-plumbline-signature');
    expect(parseCsv(await res.text()).length).toBeGreaterThan(2);
  });

  it('records every export in the audit trail with the hash of its bytes', async () => {
    const res = await get('format=csv&scope=group:db', auditor);
    const sha256 = createHash('sha256').update(res.raw).digest('hex');
    const audit = (
      await t.app.inject({ method: 'GET', url: '/api/v1/audit?limit=200', headers: { authorization: `Bearer ${admin}` } })
    ).json();
    const entry = audit.items.find(
      (e: { action: string; details: { sha256?: string } }) => e.action === 'report.export' && e.details.sha256 === sha256,
    );
    expect(entry).toMatchObject({ actor: 'apikey:audit', details: { format: 'csv', scope: 'group:db', bytes: res.raw.length } });
  });

  it('refuses a request without credentials', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/reports?format=csv' })).statusCode).toBe(401);
  });
});
