import type { HostFailures, HostSummary, Page, Triage } from '@plumbline/protocol/api';
import { describe, expect, it } from 'vitest';
import { seedFixtureFleet } from './fixture-fleet';
import { build } from './helper';

const t = await build();
const { admin } = await seedFixtureFleet(t);
const get = async <T>(url: string): Promise<T> => {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as T;
};

/** Every failing result of the host, waived or not, as its results list counts them. */
const failing = async (hostId: string) => (await get<Page<unknown>>(`/api/v1/hosts/${hostId}/results?status=fail&limit=1`)).total;

describe('triage', () => {
  it('lists the worst hosts first, with their unwaived failures split by severity (and waived) adding up to their failing results', async () => {
    const triage = await get<Triage>('/api/v1/triage');
    // The hosts list's default order is the same: worst first.
    const hosts = await get<Page<HostSummary>>('/api/v1/hosts?limit=100');
    expect(hosts.items.map((h) => h.id)).toEqual(
      (await get<Page<HostSummary>>('/api/v1/hosts?limit=100&sort=score&order=asc')).items.map((h) => h.id),
    );
    // Lowest score first, hosts not yet scored last.
    const scores = hosts.items.map((h) => h.score);
    const scored = scores.filter((s): s is number => s !== null);
    expect(scores).toEqual([...scored.sort((a, b) => a - b), ...scores.filter((s) => s === null)]);
    expect(triage.worstHosts.map((h) => h.id)).toEqual(
      hosts.items
        .filter((h) => h.score !== null)
        .map((h) => h.id)
        .slice(0, triage.worstHosts.length),
    );
    for (const w of triage.worstHosts) {
      const host = hosts.items.find((h) => h.id === w.id);
      const { critical, high, medium, low, waived } = w.failures;
      expect(critical + high + medium + low + waived).toBe(await failing(w.id));
      expect(waived).toBe(host?.counts.waived);
      expect(w.recentChanges).toBeGreaterThanOrEqual(0);
    }
  });

  it('ranks rules by severity weight x failing hosts, so one High on 3 hosts comes before one Low on 7', async () => {
    const { fixFirst } = await get<Triage>('/api/v1/triage');
    expect(fixFirst.length).toBeGreaterThan(0);
    const weight = { low: 1, medium: 2, high: 4, critical: 8 } as const;
    for (const r of fixFirst) expect(r.impact).toBe(weight[r.severity] * r.hosts);
    expect(fixFirst.map((r) => r.impact)).toEqual([...fixFirst.map((r) => r.impact)].sort((a, b) => b - a));
    expect(fixFirst[0]?.scoreGain).toBeGreaterThan(0);
  });

  it('splits a page of hosts by severity and ignores ids that are not host ids', async () => {
    const hosts = await get<Page<HostSummary>>('/api/v1/hosts?limit=3');
    const qs = [...hosts.items.map((h) => `host=${h.id}`), 'host=nope'].join('&');
    const { items } = await get<HostFailures>(`/api/v1/triage/failures?${qs}`);
    expect(items.map((i) => i.hostId).sort()).toEqual(hosts.items.map((h) => h.id).sort());
    for (const i of items) {
      const f = i.failures;
      expect(f.critical + f.high + f.medium + f.low + f.waived).toBe(await failing(i.hostId));
    }
  });
});
