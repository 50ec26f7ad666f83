import { describe, expect, it } from 'vitest';
import { AdvisoryIndex, findingsOf, FleetMatcher, type HostInventory, matchHost, matchHostGroups } from './match';
import { exposureOf, priorityBand, priorityOf } from './priority';
import type { Advisory } from './types';

const deb = (pkg: string, cve: string, status: Advisory['status'], fixedVersion: string | null, release = 'bookworm'): Advisory => ({
  distro: 'debian',
  release,
  package: pkg,
  cve,
  status,
  fixedVersion,
  severity: 'medium',
});
const bookworm = { id: 'debian', id_like: [], version_id: '12', version_codename: 'bookworm' };
const pkg = (name: string, version: string, source?: string, sourceVersion?: string) => ({
  name,
  version,
  installed: true,
  source: source ?? name,
  source_version: sourceVersion ?? version,
});
const cves = (index: AdvisoryIndex, host: HostInventory) => matchHost(index, host).map((f) => f.cve);

describe("matchHost: real advisory shapes, the distribution's own version order", () => {
  // Each row: the advisory, the installed version, whether it applies.
  it.each([
    [
      'a Debian backport whose fix is lower than upstream (3.0.13-1~deb12u1 vs upstream 3.0.14)',
      '3.0.13-1~deb12u1',
      '3.0.13-1~deb12u1',
      false,
    ],
    ['installed below a ~deb12u fix', '3.0.11-1~deb12u2', '3.0.13-1~deb12u1', true],
    ['~deb12u2 sorts after ~deb12u1 of the same upstream', '3.0.11-1~deb12u2', '3.0.11-1~deb12u1', false],
    ['~deb12u1 sorts before the plain revision it backports', '3.0.11-1~deb12u1', '3.0.11-1', true],
    ['a +deb12u1 security update fixes it', '1.9.13p3-1+deb12u1', '1.9.13p3-1+deb12u1', false],
    ['the release before +deb12u1 is affected', '1.9.13p3-1', '1.9.13p3-1+deb12u1', true],
    ['an epoch wins over a larger upstream number', '1:9.2p1-2+deb12u3', '9.6p1-1', false],
    ['without the epoch the installed version is below', '9.2p1-2', '1:9.2p1-2+deb12u2', true],
    ['fixed long before the installed version', '3.0.11-1~deb12u2', '3.0.9-1', false],
  ])('%s', (_, installed, fixed, applies) => {
    const index = new AdvisoryIndex([deb('openssl', 'CVE-2099-1', 'fixed', fixed)]);
    expect(cves(index, { os: bookworm, packages: [pkg('openssl', installed)] })).toEqual(applies ? ['CVE-2099-1'] : []);
  });

  it('open applies to every version with no fix; not-affected and other releases never do', () => {
    const index = new AdvisoryIndex([
      deb('openssh', 'CVE-2023-51767', 'open', null),
      deb('openssh', 'CVE-2024-6387', 'not_affected', null),
      deb('openssh', 'CVE-2099-9', 'open', null, 'bullseye'),
    ]);
    const found = matchHost(index, { os: bookworm, packages: [pkg('openssh-server', '1:9.2p1-2+deb12u3', 'openssh')] });
    expect(found).toEqual([
      {
        cve: 'CVE-2023-51767',
        source: 'openssh',
        installedVersion: '1:9.2p1-2+deb12u3',
        packages: ['openssh-server'],
        fixedVersion: null,
        state: 'no_fix',
        kernel: null,
        severity: 'medium',
      },
    ]);
  });

  it('matches binary packages by their source package, and leaves removed packages out', () => {
    const index = new AdvisoryIndex([deb('openssl', 'CVE-2023-5678', 'fixed', '3.0.13-1~deb12u1')]);
    const found = matchHost(index, {
      os: bookworm,
      packages: [
        pkg('libssl3', '3.0.11-1~deb12u2', 'openssl'),
        pkg('openssl', '3.0.11-1~deb12u2'),
        { ...pkg('libssl1.1', '1.1.1n-0+deb11u5', 'openssl'), installed: false },
      ],
    });
    expect(found).toMatchObject([
      { cve: 'CVE-2023-5678', packages: ['libssl3', 'openssl'], state: 'fix_available', fixedVersion: '3.0.13-1~deb12u1' },
    ]);
  });

  it('only the running kernel counts: an older image installed beside it is "not running"', () => {
    const index = new AdvisoryIndex([deb('linux', 'CVE-2024-1086', 'fixed', '6.1.76-1'), deb('linux', 'CVE-2099-2', 'fixed', '6.1.90-1')]);
    const host: HostInventory = {
      os: bookworm,
      packages: [
        pkg('linux-image-6.1.0-17-amd64', '6.1.69-1', 'linux-signed-amd64', '6.1.69+1'),
        pkg('linux-image-6.1.0-18-amd64', '6.1.76-1', 'linux-signed-amd64', '6.1.76+1'),
      ],
      runningKernel: { package: 'linux-image-6.1.0-18-amd64' },
    };
    const found = matchHost(index, host).map((f) => [f.cve, f.installedVersion, f.kernel]);
    expect(found).toEqual([
      ['CVE-2024-1086', '6.1.69-1', 'not_running'],
      ['CVE-2099-2', '6.1.69-1', 'not_running'],
      ['CVE-2099-2', '6.1.76-1', 'running'],
    ]);
  });

  it('RHEL family: rpm order, the release from the major version', () => {
    const index = new AdvisoryIndex([
      {
        distro: 'rhel',
        release: 'el9',
        package: 'openssl',
        cve: 'CVE-2023-5678',
        status: 'fixed',
        fixedVersion: '1:3.0.7-27.el9',
        severity: 'Low',
      },
    ]);
    const os = { id: 'rocky', id_like: ['rhel', 'centos', 'fedora'], version_id: '9.3', version_codename: null };
    expect(cves(index, { os, packages: [pkg('openssl-libs', '1:3.0.7-25.el9_3', 'openssl')] })).toEqual(['CVE-2023-5678']);
    expect(cves(index, { os, packages: [pkg('openssl-libs', '1:3.0.7-27.el9.0.1', 'openssl')] })).toEqual([]);
    expect(cves(index, { os: { ...os, version_id: '8.9' }, packages: [pkg('openssl-libs', '1:1.1.1k-9.el8', 'openssl')] })).toEqual([]);
  });

  it('a host whose release no feed covers has no findings', () => {
    const index = new AdvisoryIndex([deb('openssl', 'CVE-2099-1', 'open', null)]);
    expect(cves(index, { os: { id: 'arch', version_id: null, version_codename: null }, packages: [pkg('openssl', '3')] })).toEqual([]);
    expect(cves(index, { os: null, packages: [pkg('openssl', '3')] })).toEqual([]);
  });
});

describe('FleetMatcher', () => {
  it("re-matches every host as matching each alone does, and follows a host's package change", () => {
    const index = new AdvisoryIndex([
      deb('openssl', 'CVE-2023-5678', 'fixed', '3.0.13-1~deb12u1'),
      deb('sudo', 'CVE-2099-3', 'open', null),
    ]);
    const a: HostInventory = { os: bookworm, packages: [pkg('libssl3', '3.0.11-1~deb12u2', 'openssl'), pkg('sudo', '1.9.13p3-1+deb12u1')] };
    const b: HostInventory = { os: bookworm, packages: [pkg('libssl3', '3.0.13-1~deb12u1', 'openssl')] };
    const fleet = new FleetMatcher();
    fleet.setHost('a', a);
    fleet.setHost('b', b);
    expect(new Map(fleet.matchAll(index))).toEqual(
      new Map([
        ['a', matchHostGroups(index, a)],
        ['b', []],
      ]),
    );
    fleet.setHost('b', a);
    fleet.deleteHost('a');
    expect([...fleet.matchAll(index)]).toEqual([['b', matchHostGroups(index, a)]]);
    expect(fleet.match('b', index)).toEqual(matchHostGroups(index, a));
    expect(fleet.match('a', index)).toEqual([]);
  });

  it('keeps the running kernel apart from the images installed beside it, and drops a host no data covers', () => {
    const index = new AdvisoryIndex([deb('linux', 'CVE-2024-1086', 'fixed', '6.1.90-1'), deb('openssl', 'CVE-2099-1', 'open', null)]);
    const host: HostInventory = {
      os: bookworm,
      packages: [
        pkg('libssl3', '3.0.11-1~deb12u2', 'openssl'),
        pkg('linux-image-6.1.0-17-amd64', '6.1.69-1', 'linux-signed-amd64', '6.1.69+1'),
        pkg('linux-image-6.1.0-18-amd64', '6.1.76-1', 'linux-signed-amd64', '6.1.76+1'),
      ],
      runningKernel: { package: 'linux-image-6.1.0-18-amd64' },
    };
    const fleet = new FleetMatcher();
    fleet.setHost('k', host);
    fleet.setHost('other', { ...host, runningKernel: { package: 'linux-image-6.1.0-17-amd64' } });
    expect(findingsOf(fleet.match('k', index))).toEqual(matchHost(index, host));
    expect(fleet.match('other', index).map((g) => [g.installedVersion, g.kernel])).toEqual([
      ['3.0.11-1~deb12u2', null],
      ['6.1.69-1', 'running'],
      ['6.1.76-1', 'not_running'],
    ]);
    fleet.setHost('other', { os: { id: 'arch', version_id: null, version_codename: null }, packages: host.packages });
    expect(fleet.has('other')).toBe(false);
    expect(fleet.size).toBe(1);
  });
});

describe('exposure and priority', () => {
  const facts = {
    sockets: [
      { protocol: 'tcp', address: '0.0.0.0', port: 22, package: 'openssh-server', unit: 'ssh.service' },
      { protocol: 'tcp6', address: '::', port: 22, package: 'openssh-server', unit: 'ssh.service' },
      { protocol: 'tcp', address: '127.0.0.1', port: 25, package: 'exim4-daemon-light', unit: 'exim4.service' },
    ],
    units: [{ unit: 'cron.service', enabled_state: 'enabled', active_state: 'active' }],
  };
  it('a package owning a socket beyond loopback is on the network, with where', () => {
    expect(exposureOf(['openssh-client', 'openssh-server'], facts, null)).toEqual({
      exposure: 'network',
      listeners: ['0.0.0.0:22/tcp', '[::]:22/tcp6'],
    });
  });
  it('a loopback listener under a unit, or an enabled unit named after the package, is a service', () => {
    expect(exposureOf(['exim4-daemon-light'], facts, null).exposure).toBe('service');
    expect(exposureOf(['cron'], facts, null).exposure).toBe('service');
    expect(exposureOf(['libssl3'], facts, null).exposure).toBe('installed');
    expect(exposureOf(['linux-image-6.1.0-17-amd64'], facts, 'not_running').exposure).toBe('not_running');
  });
  it('ranks network above service above installed; KEV and EPSS raise it; a kernel not running is 0', () => {
    const p = (exposure: 'network' | 'service' | 'installed' | 'not_running', kev = false, epss = 0) =>
      priorityOf({ cvss: 7.5, severity: null, epss, kev, exposure });
    expect(p('network')).toBeGreaterThan(p('service'));
    expect(p('service')).toBeGreaterThan(p('installed'));
    expect(p('installed', true, 0.9)).toBeGreaterThan(p('installed'));
    expect(p('not_running', true, 1)).toBe(0);
    expect(priorityOf({ cvss: null, severity: 'unimportant', epss: null, kev: false, exposure: 'installed' })).toBe(4);
    expect(priorityBand(p('network', true, 1))).toBe('critical');
  });
});
