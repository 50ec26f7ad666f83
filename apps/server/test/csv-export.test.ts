import { describe, expect, it } from 'vitest';
import { seedFixtureFleet } from './fixture-fleet';
import { build } from './helper';
import { parseCsv } from './reports-fixture';

/** Every list endpoint answers ?format=csv with the whole list as filtered, RFC 4180, no formula cells. */
const t = await build();
const { admin } = await seedFixtureFleet(t);
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });

const waiver = await t.app.inject({
  method: 'POST',
  url: '/api/v1/waivers',
  headers: { authorization: `Bearer ${admin}` },
  payload: {
    ruleId: 'plb-ssh-permit-root-login',
    scope: { type: 'tag', id: 'web' },
    justification: '=HYPERLINK("http://x.example","click"), says the "vendor"',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  },
});
expect(waiver.statusCode, waiver.body).toBe(201);

describe('CSV exports', () => {
  it.each([
    '/api/v1/hosts',
    '/api/v1/rules',
    '/api/v1/rules/plb-fs-tmp-separate-partition/hosts',
    '/api/v1/drift',
    '/api/v1/waivers',
    '/api/v1/audit',
  ])('%s: text/csv, every row as wide as the header, as many rows as the list has', async (url) => {
    const json = (await get(`${url}?limit=1000`)).json() as { total: number };
    const res = await get(`${url}?format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename=".*\.csv"$/);
    const rows = parseCsv(res.body);
    expect(rows.length).toBe(1 + json.total);
    expect(rows.every((r) => r.length === rows[0]!.length)).toBe(true);
  });

  it('downloads the list as filtered, beyond one page', async () => {
    const rows = parseCsv((await get('/api/v1/hosts?format=csv&limit=2&q=deb')).body);
    expect(rows.length - 1).toBe(((await get('/api/v1/hosts?q=deb&limit=1000')).json() as { total: number }).total);
    expect(rows[0]).toEqual(expect.arrayContaining(['hostname', 'counts.fail', 'counts.waived']));
  });

  it('searches for % and _ as characters, not as wildcards that match every host', async () => {
    expect(((await get('/api/v1/hosts?limit=1&q=%25')).json() as { total: number }).total).toBe(0);
    expect(((await get('/api/v1/hosts?limit=1&q=_')).json() as { total: number }).total).toBe(0);
  });

  it('quotes per RFC 4180 and never starts a cell with a formula character', async () => {
    const body = (await get('/api/v1/waivers?format=csv')).body;
    expect(body).toContain(`"'=HYPERLINK(""http://x.example"",""click""), says the ""vendor"""`);
    const cells = parseCsv(body).flat();
    expect(cells.some((c) => /^[=+@]/.test(c))).toBe(false);
  });

  it('answers a bad filter with 400 and JSON, not an empty file', async () => {
    const res = await get('/api/v1/drift?format=csv&direction=sideways');
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
  });
});
