import { describe, expect, it } from 'vitest';
import { seedFixtureFleet } from './fixture-fleet';
import { build } from './helper';

/**
 * One truth for counts: on a seeded fleet (seven hosts, a host and a group waiver, two groups),
 * the overview, the groups, the hosts list, each host page, its results and the report all say
 * the same failures, waived failures and passes.
 */
const t = await build();
const { admin, hosts } = await seedFixtureFleet(t);
const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
// A second group, so that group figures are more than the fleet's.
const group = await t.app.inject({
  method: 'PUT',
  url: '/api/v1/groups/second',
  headers: { authorization: `Bearer ${admin}` },
  payload: { profileId: 'cis-l1-server', tailoring: {}, allowedPorts: [] },
});
expect(group.statusCode, group.body).toBeLessThan(300);
const moved = Object.values(hosts).slice(0, 2);
for (const id of moved) {
  const res = await t.app.inject({
    method: 'PATCH',
    url: `/api/v1/hosts/${id}`,
    headers: { authorization: `Bearer ${admin}` },
    payload: { group: 'second' },
  });
  expect(res.statusCode, res.body).toBeLessThan(300);
}

type Counts = { pass: number; fail: number; waived: number; notapplicable: number; error: number };
const add = (all: Counts[]) =>
  all.reduce((a, c) => ({
    pass: a.pass + c.pass,
    fail: a.fail + c.fail,
    waived: a.waived + c.waived,
    notapplicable: a.notapplicable + c.notapplicable,
    error: a.error + c.error,
  }));

describe('counts', () => {
  it('agree between the overview, the groups, the hosts list, the host pages, their results and the report', async () => {
    const summary = await get('/api/v1/summary');
    const fleet = summary.fleet.counts as Counts;
    expect(fleet.waived).toBeGreaterThan(0);
    expect(summary.groups).toHaveLength(2);
    expect(add(summary.groups.map((g: { counts: Counts }) => g.counts))).toEqual(fleet);

    const list = await get('/api/v1/hosts?limit=500');
    expect(add(list.items.map((h: { counts: Counts }) => h.counts))).toEqual(fleet);

    const pages: Counts[] = [];
    for (const id of Object.values(hosts)) {
      const detail = await get(`/api/v1/hosts/${id}`);
      pages.push(detail.counts);
      // The host page's tabs: its results, a waived failure counted once, as waived.
      const results = (await get(`/api/v1/hosts/${id}/results?limit=1000`)).items as Array<{ status: string; waived: boolean }>;
      const n = (f: (r: { status: string; waived: boolean }) => boolean) => results.filter(f).length;
      expect({
        pass: n((r) => r.status === 'pass'),
        fail: n((r) => r.status === 'fail' && !r.waived),
        waived: n((r) => r.status === 'fail' && r.waived),
        notapplicable: n((r) => r.status === 'notapplicable'),
        error: n((r) => r.status === 'error'),
      }).toEqual(detail.counts);
    }
    expect(add(pages)).toEqual(fleet);

    const report = JSON.parse(
      (await t.app.inject({ method: 'GET', url: '/api/v1/reports?format=json', headers: { authorization: `Bearer ${admin}` } })).body,
    );
    const { total: _total, ...reportCounts } = report.summary.counts as Counts & { total: number };
    expect(reportCounts).toEqual(fleet);
  });
});
