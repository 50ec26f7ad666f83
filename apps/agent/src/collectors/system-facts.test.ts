import { describe, expect, it } from 'vitest';
import { aptPartFiles, collect as collectAuto, parseAptConf } from './automatic-updates/index';
import { collect as collectKernel, newestConfig, parseKernelConfig } from './kernel-config/index';
import { arphrdName, collect as collectNet } from './network-interfaces/index';
import { collect as collectOpenssl, parseOpensslVersion, upstreamVersion } from './openssl/index';
import { fixtureRoot, makeTree, rootContext } from '../../test/support/host-trees';
import { collect as collectUpdates, parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurity } from './updates/index';

describe('kernel_config', () => {
  it('reads y/m/n/values and marks options the kernel does not have as null', () => {
    expect(parseKernelConfig('CONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_LSM="yama,apparmor"\n', ['CONFIG_A', 'CONFIG_B', 'CONFIG_C', 'CONFIG_LSM', 'CONFIG_D'])).toEqual({
      CONFIG_A: 'y', CONFIG_B: 'm', CONFIG_C: 'n', CONFIG_LSM: 'yama,apparmor', CONFIG_D: null,
    });
  });

  it('picks the newest config by version, not by bytes (Ubuntu 22.04: -119 after -97)', async () => {
    expect(newestConfig(['config-5.15.0-97-generic', 'config-5.15.0-119-generic', 'vmlinuz'])).toBe('config-5.15.0-119-generic');
    const fact = await collectKernel(rootContext(fixtureRoot('ubuntu-2204')));
    expect(fact).toMatchObject({ file: '/boot/config-5.15.0-119-generic', release: '5.15.0-119-generic' });
    expect(fact.options.CONFIG_SECURITY_YAMA).toBe('y');
    expect((await collectKernel(rootContext(fixtureRoot('rhel9')))).options.CONFIG_SECURITY_APPARMOR).toBe('n');
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING without /boot/config-*', async () => {
    const { root, cleanup } = await makeTree({ 'boot/vmlinuz-6.1': '' });
    try {
      await expect(collectKernel(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING', path: '/boot' });
    } finally {
      await cleanup();
    }
  });
});

describe('openssl', () => {
  it.each([
    ['OpenSSL 3.0.15 3 Sep 2024 (Library: OpenSSL 3.0.16 11 Feb 2025)', '3.0.16'],
    ['OpenSSL 3.0.2 15 Mar 2022', '3.0.2'],
  ])('%s -> %s', (text, want) => {
    expect(parseOpensslVersion(text)).toBe(want);
  });

  it.each([
    ['3.0.2-0ubuntu1.18', '3.0.2'],
    ['3.0.14-1~deb12u2', '3.0.14'],
    ['1:1.1.1n-0+deb11u5', '1.1.1n'],
  ])('package %s is upstream %s', (v, want) => {
    expect(upstreamVersion(v)).toBe(want);
  });

  it('takes the library package under --root (Ubuntu 24.04 t64) and explains a missing one (RHEL)', async () => {
    expect(await collectOpenssl(rootContext(fixtureRoot('ubuntu-2404')))).toEqual({ version: '3.0.13', source: 'package', package: { name: 'libssl3t64', version: '3.0.13-0ubuntu3.4' }, reason: null });
    expect(await collectOpenssl(rootContext(fixtureRoot('rhel9')))).toMatchObject({ version: null, source: null, package: null });
  });
});

describe('updates', () => {
  it('parses apt simulation output and flags -security origins', () => {
    const out = 'Reading package lists...\nInst libssl3 [3.0.11-1~deb12u1] (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\nInst base-files [12.4+deb12u5] (12.4+deb12u6 Debian:12.6/stable [amd64])\nInst newdep (1.0-1 Debian:12.6/stable, Debian-Security:12/stable-security [all])\nConf libssl3 (3.0.13-1~deb12u1 Debian-Security:12/stable-security [amd64])\n';
    expect(parseAptSimulation(out)).toEqual([
      { name: 'base-files', current_version: '12.4+deb12u5', new_version: '12.4+deb12u6', origin: 'Debian:12.6/stable', security: false },
      { name: 'libssl3', current_version: '3.0.11-1~deb12u1', new_version: '3.0.13-1~deb12u1', origin: 'Debian-Security:12/stable-security', security: true },
      { name: 'newdep', current_version: null, new_version: '1.0-1', origin: 'Debian:12.6/stable, Debian-Security:12/stable-security', security: true },
    ]);
  });

  it('parses dnf check-update with updateinfo security names', () => {
    const sec = parseDnfSecurity('RLSA-2024:1234 Important/Sec. openssl-libs-1:3.0.7-27.el9.x86_64\n');
    expect([...sec]).toEqual(['openssl-libs']);
    expect(parseDnfCheckUpdate('\nopenssl-libs.x86_64   1:3.0.7-28.el9_4   baseos\nvim-minimal.x86_64  2:8.2.2637-21.el9  baseos\n', sec).map((p) => [p.name, p.security])).toEqual([['openssl-libs', true], ['vim-minimal', false]]);
  });

  it('is unavailable with a reason under --root', async () => {
    expect(await collectUpdates(rootContext(fixtureRoot('debian12-default')))).toEqual({ available: false, reason: 'pending updates are only known on a live host', source: null, pending: [], pending_count: null, security_count: null });
  });
});

describe('automatic_updates', () => {
  it('reads scoped and nested apt.conf syntax with comments; keys are case-insensitive', () => {
    const m = parseAptConf('// c\nAPT::Periodic::Update-Package-Lists "1";\nAPT {\n  Periodic { Unattended-Upgrade "1"; };\n};\n/* APT::Periodic::Unattended-Upgrade "0"; */\n#clear X\n', 'f');
    expect(m.get('apt::periodic::unattended-upgrade')).toEqual({ value: '1', file: 'f', line: 4 });
    expect(m.get('apt::periodic::update-package-lists')?.line).toBe(2);
  });

  it('reads only the apt.conf.d parts apt reads', () => {
    expect(aptPartFiles(['50unattended-upgrades', '20auto-upgrades.dpkg-old', 'x.conf', 'bad name', '99x.bak', '10periodic'])).toEqual(['10periodic', '50unattended-upgrades', 'x.conf']);
  });

  it.each([
    ['debian12-hardened', true],
    ['ubuntu-2204', true],
    ['ubuntu-2404', false],
    ['edge-mqtt', false],
    ['debian12-default', false],
  ])('%s: unattended-upgrades enabled %s', async (scenario, want) => {
    expect((await collectAuto(rootContext(fixtureRoot(scenario)))).unattended_upgrades.enabled).toBe(want);
  });

  it('reads dnf-automatic: installed, security only, not applying (RHEL)', async () => {
    expect((await collectAuto(rootContext(fixtureRoot('rhel9')))).dnf_automatic).toEqual({
      installed: true, enabled: false, timer_enabled: false, install_timer_enabled: false,
      apply_updates: { value: 'no', file: '/etc/dnf/automatic.conf', line: 21 },
      upgrade_type: { value: 'security', file: '/etc/dnf/automatic.conf', line: 5 },
    });
  });
});

describe('network_interfaces', () => {
  it('names ARP hardware types', () => {
    expect([arphrdName('1'), arphrdName('772'), arphrdName('9999'), arphrdName(null)]).toEqual(['ether', 'loopback', '9999', null]);
  });

  it('is null with a reason under --root', async () => {
    expect(await collectNet(rootContext(fixtureRoot('edge-mqtt')))).toEqual({ interfaces: null, reason: 'interfaces are only read on a live host' });
  });
});
