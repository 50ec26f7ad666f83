import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseRpmQuery, runningKernelPackage } from './parse';
import { parseDpkgStatus } from '../lib/dpkg-status';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

const stanza = (name: string, status: string, extra = '') =>
  `Package: ${name}\nStatus: ${status}\nPriority: optional\nArchitecture: amd64\n${extra}Version: 1.0-1\nDescription: x\n long description\n .\n more\n`;

describe('parseDpkgStatus', () => {
  it.each([
    ['install ok installed', true],
    ['hold ok installed', true],
    ['deinstall ok config-files', false],
    ['purge ok not-installed', false],
    ['install ok half-configured', false],
    ['install ok unpacked', false],
  ])('Status: %s -> installed %s', (status, installed) => {
    expect(parseDpkgStatus(stanza('p', status))).toEqual([
      { name: 'p', version: '1.0-1', arch: 'amd64', status, installed, source: 'p', source_version: '1.0-1' },
    ]);
  });

  it.each([
    ['', 'libssl3', '1.0-1'],
    ['Source: openssl\n', 'openssl', '1.0-1'],
    ['Source: openssl (3.0.11-1~deb12u2)\n', 'openssl', '3.0.11-1~deb12u2'],
    ['Source: linux-signed-amd64 (6.1.76+1)\n', 'linux-signed-amd64', '6.1.76+1'],
  ])('names the source package and its version (%j)', (extra, source, sourceVersion) => {
    expect(parseDpkgStatus(stanza('libssl3', 'install ok installed', extra))[0]).toMatchObject({ source, source_version: sourceVersion });
  });

  it('reads every stanza, sorted by name, with CRLF and continuation lines', () => {
    const text = [stanza('zlib1g', 'install ok installed'), stanza('adduser', 'install ok installed', 'Depends: passwd\n')]
      .join('\n')
      .replace(/\n/g, '\r\n');
    expect(parseDpkgStatus(text).map((p) => p.name)).toEqual(['adduser', 'zlib1g']);
  });

  it('keeps the names of Depends, Pre-Depends and Provides, without versions, archs or alternatives marks', () => {
    const text = stanza(
      'openbsd-inetd',
      'install ok installed',
      'Pre-Depends: init-system-helpers (>= 1.54~)\nDepends: libc6 (>= 2.34), lsb-base | sysvinit-utils:any, tcpd [amd64]\nProvides: inet-superserver\n',
    );
    expect(parseDpkgStatus(text)[0]).toMatchObject({
      depends: ['init-system-helpers', 'libc6', 'lsb-base', 'sysvinit-utils', 'tcpd'],
      provides: ['inet-superserver'],
    });
  });
});

describe('parseRpmQuery', () => {
  it('drops an unset epoch and keeps a set one', () => {
    expect(
      parseRpmQuery(
        'bash\t(none):5.1.8-9.el9\tx86_64\tbash-5.1.8-9.el9.src.rpm\n' +
          'gpg-pubkey\t(none):8483c65d-5ccc5b19\t(none)\t(none)\n' +
          'openssl-libs\t1:3.0.7-27.el9\tx86_64\topenssl-3.0.7-27.el9.src.rpm\n',
      ),
    ).toEqual([
      {
        name: 'bash',
        version: '5.1.8-9.el9',
        arch: 'x86_64',
        status: 'installed',
        installed: true,
        source: 'bash',
        source_version: '5.1.8-9.el9',
      },
      {
        name: 'gpg-pubkey',
        version: '8483c65d-5ccc5b19',
        arch: null,
        status: 'installed',
        installed: true,
        source: 'gpg-pubkey',
        source_version: '8483c65d-5ccc5b19',
      },
      {
        name: 'openssl-libs',
        version: '1:3.0.7-27.el9',
        arch: 'x86_64',
        status: 'installed',
        installed: true,
        source: 'openssl',
        source_version: '1:3.0.7-27.el9',
      },
    ]);
  });
});

describe('runningKernelPackage', () => {
  it('finds the running kernel among several installed rpm kernels', () => {
    const pkgs = parseRpmQuery(
      'kernel-core\t(none):5.14.0-362.8.1.el9_3\tx86_64\tkernel-5.14.0-362.8.1.el9_3.src.rpm\n' +
        'kernel-core\t(none):5.14.0-427.13.1.el9_4\tx86_64\tkernel-5.14.0-427.13.1.el9_4.src.rpm\n',
    );
    expect(runningKernelPackage('5.14.0-362.8.1.el9_3.x86_64', 'rpm', pkgs)).toEqual({
      release: '5.14.0-362.8.1.el9_3.x86_64',
      package: 'kernel-core',
      version: '5.14.0-362.8.1.el9_3',
      source: 'kernel',
    });
  });

  it('names the dpkg image package of the release, or none', () => {
    const pkgs = parseDpkgStatus(
      stanza('linux-image-6.1.0-17-amd64', 'install ok installed', 'Source: linux-signed-amd64 (6.1.69+3)\n') +
        '\n' +
        stanza('linux-image-6.1.0-18-amd64', 'install ok installed', 'Source: linux-signed-amd64 (6.1.76+1)\n'),
    );
    expect(runningKernelPackage('6.1.0-18-amd64', 'dpkg', pkgs)).toMatchObject({
      package: 'linux-image-6.1.0-18-amd64',
      source: 'linux-signed-amd64',
    });
    expect(runningKernelPackage('5.10.0-9-amd64', 'dpkg', pkgs)).toMatchObject({ package: null, version: null, source: null });
  });
});

describe('packages collector', () => {
  it('lists removed-but-configured packages as not installed (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact).toMatchObject({ manager: 'dpkg', available: true, reason: null });
    const byName = new Map(fact.packages.map((p) => [p.name, p]));
    expect(byName.get('openssh-server')).toMatchObject({ version: '1:9.2p1-2+deb12u3', installed: true });
    expect(byName.get('telnet')).toMatchObject({ status: 'deinstall ok config-files', installed: false });
    expect(byName.get('libc6')?.arch).toBe('amd64');
  });

  it('says the rpm inventory is unavailable under --root (RHEL)', async () => {
    expect(await collect(rootContext(fixtureRoot('rhel9')))).toEqual({
      manager: 'rpm',
      available: false,
      reason: 'rpm database is only read on a live host',
      packages: [],
      running_kernel: null,
    });
  });

  it("names the running kernel package from the tree's proc snapshot, and none without one", async () => {
    const img = (release: string, src: string) =>
      `Package: linux-image-${release}\nStatus: install ok installed\nArchitecture: amd64\nSource: linux-signed-amd64 (${src})\nVersion: ${src}\n\n`;
    const status = img('6.1.0-17-amd64', '6.1.69+3') + img('6.1.0-18-amd64', '6.1.76+1');
    await withTree({ 'var/lib/dpkg/status': status, 'proc/sys/kernel/osrelease': '6.1.0-18-amd64\n' }, async (root) => {
      expect((await collect(rootContext(root))).running_kernel).toEqual({
        release: '6.1.0-18-amd64',
        package: 'linux-image-6.1.0-18-amd64',
        version: '6.1.76+1',
        source: 'linux-signed-amd64',
      });
    });
    await withTree({ 'var/lib/dpkg/status': status }, async (root) => {
      expect((await collect(rootContext(root))).running_kernel).toBeNull();
    });
  });

  it('reports no manager on a tree without a package database', async () => {
    await withTree({ 'etc/hostname': 'x\n' }, async (root) => {
      expect(await collect(rootContext(root))).toMatchObject({ manager: null, available: false, packages: [] });
    });
  });

  it('sees every change of the dpkg database, in place or by rename, and its removal', async () => {
    const stanza = (name: string, version: string) => `Package: ${name}\nStatus: install ok installed\nVersion: ${version}\n\n`;
    await withTree({ 'var/lib/dpkg/status': stanza('sudo', '1.9.13p3-1') }, async (root) => {
      const status = path.join(root, 'var/lib/dpkg/status');
      const versions = async () => (await collect(rootContext(root))).packages.map((p) => `${p.name} ${p.version}`);
      expect(await versions()).toEqual(['sudo 1.9.13p3-1']);
      // Same size, rewritten in place.
      await writeFile(status, stanza('sudo', '1.9.13p3-2'));
      expect(await versions()).toEqual(['sudo 1.9.13p3-2']);
      // As dpkg does it: a new file renamed over the old one.
      await writeFile(`${status}-new`, stanza('sudo', '1.9.13p3-2') + stanza('auditd', '1:3.0.9-1'));
      await rename(`${status}-new`, status);
      expect(await versions()).toEqual(['auditd 1:3.0.9-1', 'sudo 1.9.13p3-2']);
      await rm(status);
      expect(await collect(rootContext(root))).toMatchObject({ manager: null, available: false, packages: [] });
    });
  });
});
