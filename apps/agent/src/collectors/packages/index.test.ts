import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseRpmQuery } from './parse';
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
    expect(parseDpkgStatus(stanza('p', status))).toEqual([{ name: 'p', version: '1.0-1', arch: 'amd64', status, installed }]);
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
      parseRpmQuery('bash\t(none):5.1.8-9.el9\tx86_64\ngpg-pubkey\t(none):8483c65d-5ccc5b19\t(none)\nopenssl\t1:3.0.7-27.el9\tx86_64\n'),
    ).toEqual([
      { name: 'bash', version: '5.1.8-9.el9', arch: 'x86_64', status: 'installed', installed: true },
      { name: 'gpg-pubkey', version: '8483c65d-5ccc5b19', arch: null, status: 'installed', installed: true },
      { name: 'openssl', version: '1:3.0.7-27.el9', arch: 'x86_64', status: 'installed', installed: true },
    ]);
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
