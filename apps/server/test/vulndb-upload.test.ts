import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../src/access/credentials';
import { build } from './helper';

/**
 * POST /api/v1/vulnerabilities/feeds: a feed file uploaded to the running server (what
 * `plumbline vulndb import` does while the server holds the embedded database). A good file is
 * stored and audited; a cut, malformed or unknown one is refused with its code and nothing changes.
 */
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const operator = await createApiKey(t.db, 'op', 'operator');
const sample = (name: string) => readFileSync(new URL(`../../../packages/advisories/samples/${name}`, import.meta.url));

const upload = (body: Buffer | string, name = 'feed', key = admin, type = 'application/octet-stream') =>
  t.app.inject({
    method: 'POST',
    url: `/api/v1/vulnerabilities/feeds?name=${encodeURIComponent(name)}`,
    headers: { authorization: `Bearer ${key}`, 'content-type': type },
    payload: body,
  });
const stored = async () => ({ advisories: await t.db.prisma.vulnAdvisory.count(), feeds: await t.db.prisma.vulnFeed.count() });

describe('feed upload', () => {
  it('stores a Debian tracker file, answers its kind and records, and audits it', async () => {
    const res = await upload(sample('debian-tracker.json'), 'debian-tracker.json');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'debian-tracker', records: expect.any(Number) });
    expect(res.json().records).toBeGreaterThan(0);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/vulnerabilities', headers: { authorization: `Bearer ${admin}` } });
    expect(list.json().feeds.map((f: { kind: string }) => f.kind)).toEqual(['debian-tracker']);
    const audit = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit?action=vulndb.import',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(audit.json().items[0]).toMatchObject({ actor: 'apikey:admin', target: 'debian-tracker.json' });
  });

  it('reads a gzipped EPSS file as EPSS', async () => {
    const res = await upload(gzipSync(sample('epss.csv')), 'epss.csv.gz');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().kind).toBe('epss');
  });

  it('refuses a cut, a malformed and an unknown file with their codes, and keeps the stored data', async () => {
    const before = await stored();
    const whole = sample('debian-tracker.json');
    const cases: [Buffer, string][] = [
      [whole.subarray(0, 400), 'PLUMBLINE_ERR_FEED_TRUNCATED'],
      [gzipSync(whole).subarray(0, 200), 'PLUMBLINE_ERR_FEED_TRUNCATED'],
      [Buffer.from('{"catalogVersion": "1", "vulnerabilities": [{"cveID": 7}]}'), 'PLUMBLINE_ERR_FEED_MALFORMED'],
      [Buffer.from('{"openssl": , "x": 1}'), 'PLUMBLINE_ERR_FEED_MALFORMED'],
      [Buffer.from('hello, world\n'), 'PLUMBLINE_ERR_FEED_UNKNOWN'],
    ];
    for (const [body, code] of cases) {
      const res = await upload(body, 'bad.json');
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json()).toMatchObject({ code, message: expect.stringMatching(/^bad\.json: .*nothing was imported$/) });
    }
    expect(await stored()).toEqual(before);
  });

  it('refuses an empty body, a JSON body, a missing name and a non-admin key, changing nothing', async () => {
    const before = await stored();
    expect((await upload(Buffer.alloc(0))).statusCode).toBe(400);
    expect((await upload(sample('kev.json'), 'kev.json', admin, 'application/json')).statusCode).toBe(400);
    const noName = await t.app.inject({
      method: 'POST',
      url: '/api/v1/vulnerabilities/feeds',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/octet-stream' },
      payload: sample('kev.json'),
    });
    expect(noName.statusCode).toBe(400);
    expect((await upload(sample('kev.json'), 'kev.json', operator)).statusCode).toBe(403);
    expect(await stored()).toEqual(before);
  });
});
