import { describe, expect, it } from 'vitest';
import { collect as collectAuto } from './index';
import { aptPartFiles, parseAptConf } from './parse';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('automatic_updates', () => {
  it('reads scoped and nested apt.conf syntax with comments; keys are case-insensitive', () => {
    const m = parseAptConf(
      '// c\nAPT::Periodic::Update-Package-Lists "1";\nAPT {\n  Periodic { Unattended-Upgrade "1"; };\n};\n/* APT::Periodic::Unattended-Upgrade "0"; */\n#clear X\n',
      'f',
    );
    expect(m.get('apt::periodic::unattended-upgrade')).toEqual({ value: '1', file: 'f', line: 4 });
    expect(m.get('apt::periodic::update-package-lists')?.line).toBe(2);
  });

  it('reads only the apt.conf.d parts apt reads', () => {
    expect(aptPartFiles(['50unattended-upgrades', '20auto-upgrades.dpkg-old', 'x.conf', 'bad name', '99x.bak', '10periodic'])).toEqual([
      '10periodic',
      '50unattended-upgrades',
      'x.conf',
    ]);
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
      installed: true,
      enabled: false,
      timer_enabled: false,
      install_timer_enabled: false,
      apply_updates: { value: 'no', file: '/etc/dnf/automatic.conf', line: 21 },
      upgrade_type: { value: 'security', file: '/etc/dnf/automatic.conf', line: 5 },
    });
  });
});
