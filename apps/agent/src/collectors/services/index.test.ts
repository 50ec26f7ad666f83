import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseListUnitFiles, parseListUnits } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

describe('systemctl output', () => {
  it('reads list-unit-files with and without a preset column', () => {
    expect([
      ...parseListUnitFiles('ssh.service enabled enabled\ngetty@.service enabled -\nfoo.mount static -\nbar.socket masked\n'),
    ]).toEqual([
      ['ssh.service', 'enabled'],
      ['getty@.service', 'enabled'],
      ['bar.socket', 'masked'],
    ]);
  });

  it('reads list-units --plain, dropping status bullets and units systemd could not find', () => {
    expect([
      ...parseListUnits(
        'ssh.service loaded active running OpenBSD Secure Shell server\n● nope.service not-found inactive dead nope.service\n● rsyslog.service loaded failed failed System Logging\n',
      ),
    ]).toEqual([
      ['ssh.service', { active: 'active', sub: 'running' }],
      ['rsyslog.service', { active: 'failed', sub: 'failed' }],
    ]);
  });
});

describe('services collector on fixture trees', () => {
  it('derives enabled, alias, masked, static and disabled from links (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    const state = Object.fromEntries(fact.units.map((u) => [u.unit, u.enabled_state]));
    expect(fact).toMatchObject({ source: 'files', default_target: 'multi-user.target', warnings: [] });
    expect(state).toMatchObject({
      'ssh.service': 'enabled',
      'sshd.service': 'alias',
      'debug-shell.service': 'masked',
      'apt-daily.service': 'static',
      'getty@.service': 'enabled',
      'nftables.service': 'enabled',
    });
    expect(fact.units.every((u) => u.active_state === null)).toBe(true);
    expect(fact.units.map((u) => u.unit)).toEqual([...fact.units.map((u) => u.unit)].sort());
  });

  it('sees socket activation and a disabled service (Ubuntu 24.04), masking (edge) and indirect (Also=)', async () => {
    const u2404 = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(u2404.units.find((u) => u.unit === 'ssh.socket')?.enabled_state).toBe('enabled');
    expect(u2404.units.find((u) => u.unit === 'ssh.service')).toMatchObject({
      enabled_state: 'disabled',
      file: '/usr/lib/systemd/system/ssh.service',
    });
    const edge = await collect(rootContext(fixtureRoot('edge-mqtt')));
    expect(edge.units.find((u) => u.unit === 'avahi-daemon.service')?.enabled_state).toBe('masked');
    await withTree(
      {
        'usr/lib/systemd/system/a.service': '[Install]\nAlso=a.socket\n',
        'run/systemd/system/multi-user.target.wants/b.service': { link: '/usr/lib/systemd/system/b.service' },
        'usr/lib/systemd/system/b.service': '[Install]\nWantedBy=multi-user.target\n',
      },
      async (root) => {
        const fact = await collect(rootContext(root));
        expect(fact.units.map((u) => [u.unit, u.enabled_state])).toEqual([
          ['a.service', 'indirect'],
          ['b.service', 'enabled-runtime'],
        ]);
        expect(fact.default_target).toBeNull();
      },
    );
  });
});
