import type { FleetVulnerabilities, HostVulnerabilities, PackageVulnerabilities } from '@plumbline/protocol/vulnerabilities';
import { FeedError } from '@plumbline/advisories';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { delta, hello, snapshot, TestAgent } from './agent-client';
import { build } from './helper';
import { receiver } from './receiver';
import { VulnerabilityService } from '../src/vulnerabilities/service';
import { importSampleFeeds, sample, vulnerableFacts } from './vulnerable-host';

const t = await build({ webhook: { attempts: 3, backoffMs: 10, timeoutMs: 2000, allowPrivate: true }, outboundPollMs: 25 });
const admin = await createApiKey(t.db, 'admin', 'admin');
// A receiver of findings gained and lost, and one of compliance drift only (it hears nothing of them).
const findingsHook = await receiver();
const complianceHook = await receiver();
for (const [name, r, kinds] of [
  ['findings', findingsHook, ['vulnerability']],
  ['compliance', complianceHook, ['compliance']],
] as const) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/webhooks',
    headers: { authorization: `Bearer ${admin}` },
    payload: { name, url: r.url, filter: { kinds } },
  });
  if (res.statusCode !== 201) throw new Error(res.body);
}
await importSampleFeeds(t);

const get = async (url: string) => {
  const res = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } });
  return res;
};

const facts = (opensshVersion: string) => vulnerableFacts('vuln-1', opensshVersion);

const token = await createEnrollmentToken(t.db, { name: 'v', maxUses: '5' });
const agent = await TestAgent.connect(t.url, token);
agent.send(hello('vuln-1'));
const welcome = (await agent.next('welcome')) as { hostId?: string; payload?: { hostId: string } };
const before = facts('1:9.2p1-2+deb12u1');
agent.send(snapshot(1, before));
await agent.next('ack');
await t.app.vulnerabilities.idle();
const hostId = (await t.db.prisma.host.findFirstOrThrow({ where: { hostname: 'vuln-1' } })).id;
void welcome;
// A second process on the same database (another replica): it holds the host's packages as they
// are now, and is never told of the package update below.
const replica = new VulnerabilityService(t.db.prisma, t.app.log);
/** A moment before openssh is updated: reports as of it still show what the update fixed. */
let beforeUpdate = '';
await replica.refresh();
await replica.idle();

describe('a host matched against the Debian tracker', () => {
  it('lists what applies, with exposure and priority, and leaves out what the installed versions fix', async () => {
    const res = await get(`/api/v1/hosts/${hostId}/vulnerabilities`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as HostVulnerabilities;
    expect(body.release).toBe('debian bookworm');
    const byCve = Object.fromEntries(body.items.map((i) => [`${i.cve} ${i.installedVersion}`, i]));
    expect(Object.keys(byCve).sort()).toEqual([
      'CVE-2023-48795 1:9.2p1-2+deb12u1',
      'CVE-2023-51767 1:9.2p1-2+deb12u1',
      'CVE-2023-5678 3.0.11-1~deb12u2',
      'CVE-2024-1086 6.1.69-1',
      'CVE-2024-6387 1:9.2p1-2+deb12u1',
    ]);
    expect(byCve['CVE-2024-6387 1:9.2p1-2+deb12u1']).toMatchObject({
      source: 'openssh',
      packages: ['openssh-client', 'openssh-server'],
      fixedVersion: '1:9.2p1-2+deb12u3',
      state: 'fix_available',
      exposure: 'network',
      listeners: ['0.0.0.0:22/tcp', '[::]:22/tcp6'],
      epss: 0.4292,
    });
    expect(byCve['CVE-2023-51767 1:9.2p1-2+deb12u1']).toMatchObject({ state: 'no_fix', fixedVersion: null });
    expect(byCve['CVE-2023-5678 3.0.11-1~deb12u2']).toMatchObject({ exposure: 'installed', packages: ['libssl3'] });
    // The running kernel (6.1.76-1) has the fix; the older image is listed, not counted.
    expect(byCve['CVE-2024-1086 6.1.69-1']).toMatchObject({ kernel: 'not_running', exposure: 'not_running', priority: 0, kev: true });
    // Reachable first.
    expect(body.items[0]?.exposure).toBe('network');
  });

  it('the fleet view counts hosts per CVE, leaves kernels that are not running out, and exports CSV', async () => {
    const body = (await get('/api/v1/vulnerabilities')).json() as FleetVulnerabilities;
    expect(body.items.map((i) => i.cve)).not.toContain('CVE-2024-1086');
    expect(body.items.find((i) => i.cve === 'CVE-2024-6387')).toMatchObject({
      hosts: 1,
      networkHosts: 1,
      exposure: 'network',
      packages: ['openssh'],
    });
    expect(body.feeds.map((f) => f.kind)).toEqual(['debian-tracker', 'epss', 'kev']);
    expect((await get('/api/v1/vulnerabilities?exposure=installed')).json().items.map((i: { cve: string }) => i.cve)).toEqual([
      'CVE-2023-5678',
    ]);
    const csv = await get('/api/v1/vulnerabilities?format=csv&cve=CVE-2024-6387');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body.split('\r\n')[0]).toMatch(/^cve,priority,band,exposure,hosts/);
    expect(csv.body).toContain('CVE-2024-6387,');
    const hostCsv = await get(`/api/v1/hosts/${hostId}/vulnerabilities?format=csv`);
    expect(hostCsv.headers['content-type']).toMatch(/^text\/csv/);
    expect(hostCsv.body.trim().split('\r\n')).toHaveLength(6);
  });

  it('by package: what to update, where, against how many CVEs; filtered like the CVE view, and as CSV', async () => {
    const body = (await get('/api/v1/vulnerabilities/packages')).json() as PackageVulnerabilities;
    expect(body.items.map((i) => i.source)).toEqual(['openssh', 'openssl']);
    expect(body.total).toBe(2);
    expect(body.items[0]).toMatchObject({
      packages: ['openssh-client', 'openssh-server'],
      installedVersions: ['1:9.2p1-2+deb12u1'],
      hosts: 1,
      networkHosts: 1,
      cves: 3,
      noFixCves: 1,
      fixAvailable: true,
      fixedVersions: ['1:9.2p1-2+deb12u2', '1:9.2p1-2+deb12u3'],
      exposure: 'network',
    });
    expect(body.items[0]!.priority).toBe(Math.max(...body.items.map((i) => i.priority)));
    expect(body.items[1]).toMatchObject({ packages: ['libssl3'], exposure: 'installed', cves: 1, fixAvailable: true });
    // The kernel image that is not running is left out unless asked for.
    const withKernels = (await get('/api/v1/vulnerabilities/packages?notRunning=true')).json() as PackageVulnerabilities;
    expect(withKernels.items.find((i) => i.source === 'linux')).toMatchObject({ exposure: 'not_running', kevCves: 1 });
    const noFix = (await get('/api/v1/vulnerabilities/packages?state=no_fix')).json() as PackageVulnerabilities;
    expect(noFix.items).toMatchObject([{ source: 'openssh', cves: 1, noFixCves: 1, fixAvailable: false, fixedVersions: [] }]);
    const csv = await get('/api/v1/vulnerabilities/packages?format=csv&exposure=installed');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^source,priority,band,exposure,hosts,network_hosts,cves/);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['openssl']);
    expect((await get('/api/v1/vulnerabilities/packages?band=severe')).statusCode).toBe(400);
  });

  it('a package update is re-matched: the fixed CVEs are gone, with a drift event each', async () => {
    beforeUpdate = new Date().toISOString();
    agent.send(delta(2, before, facts('1:9.2p1-2+deb12u3')));
    await agent.next('ack');
    await t.app.vulnerabilities.idle();
    const items = ((await get(`/api/v1/hosts/${hostId}/vulnerabilities`)).json() as HostVulnerabilities).items.map((i) => i.cve);
    expect(items).not.toContain('CVE-2024-6387');
    expect(items).not.toContain('CVE-2023-48795');
    expect(items).toContain('CVE-2023-51767');
    const drift = (await get('/api/v1/drift?kind=vulnerability&limit=100')).json() as { items: { direction: string; path: string }[] };
    expect(
      drift.items
        .filter((d) => d.direction === 'improvement')
        .map((d) => d.path)
        .sort(),
    ).toEqual(['CVE-2023-48795 openssh', 'CVE-2024-6387 openssh']);
    expect(drift.items.filter((d) => d.direction === 'regression').length).toBe(4);
  });

  it('a webhook filtered to vulnerabilities hears each finding gained and lost, named by CVE and package', async () => {
    type Payload = {
      type: string;
      deliveryId: string;
      event: { kind: string; hostname: string; direction: string; vulnerability: { cve: string } };
    };
    // Delivery is at least once (a receiver too slow to answer gets the same delivery again): one per delivery id.
    const payloads = () => [
      ...new Map(
        findingsHook.received.map((r) => JSON.parse(r.body.toString()) as Payload).map((p) => [p.deliveryId, p] as const),
      ).values(),
    ];
    const seen = () =>
      payloads()
        .map((p) => `${p.event.direction} ${p.event.vulnerability.cve}`)
        .sort();
    await vi.waitFor(() => expect(seen()).toHaveLength(6), { timeout: 20_000, interval: 25 });
    expect(seen()).toEqual([
      'improvement CVE-2023-48795',
      'improvement CVE-2024-6387',
      'regression CVE-2023-48795',
      'regression CVE-2023-51767',
      'regression CVE-2023-5678',
      'regression CVE-2024-6387',
    ]);
    const events = payloads().map((p) => p.event);
    expect(events.every((e) => e.kind === 'vulnerability' && e.hostname === 'vuln-1')).toBe(true);
    expect(events.filter((e) => e.direction === 'improvement').map((e) => e.vulnerability)).toEqual(
      expect.arrayContaining([
        { cve: 'CVE-2024-6387', source: 'openssh', change: 'lost' },
        { cve: 'CVE-2023-48795', source: 'openssh', change: 'lost' },
      ]),
    );
    expect(events.find((e) => e.vulnerability.cve === 'CVE-2023-5678')).toMatchObject({
      direction: 'regression',
      vulnerability: { cve: 'CVE-2023-5678', source: 'openssl', change: 'gained' },
    });
    expect(payloads().every((p) => p.type === 'drift')).toBe(true);
    expect(complianceHook.received.filter((r) => r.body.includes('"vulnerability"'))).toEqual([]);
  });

  it('a data update re-matches every host in the background, from the packages stored now, once', async () => {
    const tracker = JSON.parse(sample('debian-tracker.json').toString('utf8')) as Record<string, Record<string, unknown>>;
    // A new openssh CVE fixed after the installed 1:9.2p1-2+deb12u3; the openssl one now fixed before the installed version.
    tracker.openssh!['CVE-2099-7001'] = {
      description: 'a later openssh issue',
      scope: 'remote',
      releases: {
        bookworm: { status: 'resolved', repositories: {}, fixed_version: '1:9.2p1-2+deb12u4', urgency: 'high' },
      },
    };
    const openssl = tracker.openssl!['CVE-2023-5678'] as { releases: { bookworm: { fixed_version: string } } };
    openssl.releases.bookworm.fixed_version = '3.0.9-1';
    const cves = async () =>
      ((await get(`/api/v1/hosts/${hostId}/vulnerabilities`)).json() as HostVulnerabilities).items.map(
        (i) => `${i.cve} ${i.installedVersion}`,
      );
    const before = await cves();
    await t.app.vulnerabilities.importFeed(Buffer.from(JSON.stringify(tracker)), 'tracker-update.json', 'system');
    // The replica notices the import first; its held packages are out of date and are read again.
    expect(await replica.refresh()).toBe(true);
    await replica.idle();
    const after = await cves();
    expect(after).toContain('CVE-2099-7001 1:9.2p1-2+deb12u3');
    expect(after).not.toContain('CVE-2023-5678 3.0.11-1~deb12u2');
    expect(after).not.toContain('CVE-2024-6387 1:9.2p1-2+deb12u1');
    expect(after.filter((c) => c !== 'CVE-2099-7001 1:9.2p1-2+deb12u3').sort()).toEqual(
      before.filter((c) => c !== 'CVE-2023-5678 3.0.11-1~deb12u2').sort(),
    );
    // The server's own pass finds nothing more to change: one event per change, not one per process.
    expect(await t.app.vulnerabilities.refresh()).toBe(true);
    await t.app.vulnerabilities.idle();
    expect(await cves()).toEqual(after);
    const drift = (await get('/api/v1/drift?kind=vulnerability&limit=100')).json() as { items: { direction: string; path: string }[] };
    expect(drift.items.filter((d) => d.path === 'CVE-2099-7001 openssh').map((d) => d.direction)).toEqual(['regression']);
    expect(drift.items.filter((d) => d.path === 'CVE-2023-5678 openssl').map((d) => d.direction)).toEqual(['improvement', 'regression']);
    await replica.stop();
  });

  it('the compliance report carries the findings as of its date (json), or as a table of its own (csv)', async () => {
    type Finding = { host: { hostname: string }; cve: string; installedVersion: string; exposure: string; band: string };
    type Report = { asOf: string; vulnerabilities: { asOf: string; findings: Finding[]; summary: { hosts: number; findings: number } } };
    const report = async (query: string) => {
      const res = await get(`/api/v1/reports?${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const then = JSON.parse((await report(`format=json&asOf=${beforeUpdate}`)).body) as Report;
    expect(then.vulnerabilities.asOf).toBe(beforeUpdate);
    const thenCves = then.vulnerabilities.findings.map((f) => `${f.cve} ${f.installedVersion}`).sort();
    expect(thenCves).toEqual([
      'CVE-2023-48795 1:9.2p1-2+deb12u1',
      'CVE-2023-51767 1:9.2p1-2+deb12u1',
      'CVE-2023-5678 3.0.11-1~deb12u2',
      'CVE-2024-6387 1:9.2p1-2+deb12u1',
    ]);
    expect(then.vulnerabilities.findings.find((f) => f.cve === 'CVE-2024-6387')).toMatchObject({
      host: { hostname: 'vuln-1' },
      exposure: 'network',
    });
    expect(then.vulnerabilities.summary).toMatchObject({ hosts: 1, findings: 4 });
    const now = JSON.parse((await report('format=json')).body) as Report;
    expect(now.vulnerabilities.findings.map((f) => `${f.cve} ${f.installedVersion}`).sort()).toEqual(
      ((await get(`/api/v1/hosts/${hostId}/vulnerabilities?notRunning=false`)).json() as HostVulnerabilities).items
        .map((i) => `${i.cve} ${i.installedVersion}`)
        .sort(),
    );
    const csv = await report(`format=csv&section=vulnerabilities&asOf=${beforeUpdate}`);
    expect(csv.headers['content-disposition']).toMatch(/-vulnerabilities-/);
    const lines = csv.body.trim().split('\r\n');
    expect(lines[0]).toMatch(/^host_id,hostname,group,cve,source,packages,installed_version,fixed_version/);
    expect(
      lines
        .slice(1)
        .map((l) => l.split(',')[3])
        .sort(),
    ).toEqual(thenCves.map((c) => c.split(' ')[0]));
    expect((await get('/api/v1/reports?format=pdf&section=vulnerabilities')).statusCode).toBe(400);
  });

  it('a cut feed is refused and the stored data stays', async () => {
    const count = await t.db.prisma.vulnAdvisory.count();
    const whole = sample('debian-tracker.json');
    await expect(t.app.vulnerabilities.importFeed(whole.subarray(0, 400), 'cut.json', 'system')).rejects.toBeInstanceOf(FeedError);
    expect(await t.db.prisma.vulnAdvisory.count()).toBe(count);
  });

  it('a scheduled fetch imports what each URL serves, audited as system; a failing URL changes nothing and stops no other', async () => {
    const cut = sample('debian-tracker.json').subarray(0, 400);
    const server = createServer((req, res) => {
      if (req.url === '/kev.json') res.end(sample('kev.json'));
      else if (req.url === '/cut.json') res.end(cut);
      else res.writeHead(503).end('down for maintenance');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const advisories = await t.db.prisma.vulnAdvisory.count();
    try {
      await t.app.vulnerabilities.fetchFeeds([`${base}/cut.json`, `${base}/down.json`, `${base}/kev.json`]);
    } finally {
      server.close();
    }
    expect(await t.db.prisma.vulnAdvisory.count()).toBe(advisories);
    const audit = await t.db.prisma.auditEntry.findMany({ where: { action: 'vulndb.import', target: { startsWith: base } } });
    expect(audit.map((a) => ({ actor: a.actor, target: a.target, details: a.details }))).toEqual([
      { actor: 'system', target: `${base}/kev.json`, details: { kind: 'kev', version: expect.any(String), records: expect.any(Number) } },
    ]);
    expect((await t.db.prisma.vulnFeed.findUniqueOrThrow({ where: { kind: 'kev' } })).origin).toBe(`${base}/kev.json`);
  });

  it('an unknown host is a 404; a bad filter a 400', async () => {
    expect((await get('/api/v1/hosts/00000000-0000-4000-8000-000000000000/vulnerabilities')).statusCode).toBe(404);
    expect((await get('/api/v1/hosts/nope/vulnerabilities')).statusCode).toBe(404);
    expect((await get('/api/v1/vulnerabilities?exposure=everywhere')).statusCode).toBe(400);
  });
});
