import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseInetdConf, parseListUnitFiles, parseListUnits, parseXinetdConf } from './parse';
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

describe('inetd and xinetd configuration', () => {
  it('reads inetd.conf service lines; a commented or update-inetd-disabled line is disabled', () => {
    const text = [
      '# <service_name> <sock_type> <proto> <flags> <user> <server_path> <args>',
      'telnet\tstream\ttcp\tnowait\ttelnetd\t/usr/sbin/tcpd\t/usr/sbin/in.telnetd',
      '#<off># tftp\tdgram\tudp\twait\tnobody\t/usr/sbin/tcpd\t/usr/sbin/in.tftpd',
      '#:BSD: Shell, login, exec and talk are BSD protocols.',
      'garbage line',
    ].join('\n');
    expect(parseInetdConf(text, '/etc/inetd.conf')).toEqual([
      { daemon: 'inetd', service: 'telnet', server: '/usr/sbin/tcpd', enabled: true, file: '/etc/inetd.conf', line: 2 },
      { daemon: 'inetd', service: 'tftp', server: '/usr/sbin/tcpd', enabled: false, file: '/etc/inetd.conf', line: 3 },
    ]);
  });

  it('reads xinetd service blocks; only `disable = yes` turns one off', () => {
    const text =
      'defaults\n{\n}\nservice tftp\n{\n\tdisable = no\n\tserver = /usr/sbin/in.tftpd\n}\nservice telnet {\n disable = yes # off\n}\nservice echo\n{\n type = INTERNAL\n}\n';
    expect(parseXinetdConf(text, '/etc/xinetd.d/x').map((s) => [s.service, s.server, s.enabled, s.line])).toEqual([
      ['tftp', '/usr/sbin/in.tftpd', true, 4],
      ['telnet', null, false, 9],
      ['echo', null, true, 12],
    ]);
  });
});

describe('SysV init scripts and inetd services in a tree', () => {
  it('lists a script started from rc?.d links as the generated unit systemd makes of it (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.units.find((u) => u.unit === 'xinetd.service')).toEqual({
      unit: 'xinetd.service',
      enabled_state: 'generated',
      active_state: null,
      sub_state: null,
      file: '/etc/init.d/xinetd',
    });
    expect(fact.units.find((u) => u.unit === 'rpcbind.service')?.enabled_state).toBe('disabled');
    expect(fact.inetd.map((s) => [s.daemon, s.service, s.enabled, s.file])).toEqual([
      ['xinetd', 'telnet', false, '/etc/xinetd.d/telnet'],
      ['xinetd', 'time', true, '/etc/xinetd.d/time'],
    ]);
  });

  it('ignores scripts a native unit replaces, scripts without start links and non-executable files', async () => {
    await withTree(
      {
        'etc/init.d/ssh': { text: '#!/bin/sh\n', mode: 0o755 },
        'etc/init.d/quiet': { text: '#!/bin/sh\n', mode: 0o755 },
        'etc/init.d/README': 'not a script\n',
        'etc/init.d/notes': { text: 'x\n', mode: 0o644 },
        'etc/rc2.d/S01ssh': { link: '../init.d/ssh' },
        'etc/rc3.d/K01quiet': { link: '../init.d/quiet' },
        'lib/systemd/system/ssh.service': '[Install]\nWantedBy=multi-user.target\n',
        'etc/inetd.conf': 'telnet stream tcp nowait root /usr/sbin/in.telnetd in.telnetd\n',
      },
      async (root) => {
        const fact = await collect(rootContext(root));
        expect(fact.units.map((u) => [u.unit, u.enabled_state, u.file])).toEqual([
          ['quiet.service', 'disabled', '/etc/init.d/quiet'],
          ['ssh.service', 'disabled', '/lib/systemd/system/ssh.service'],
        ]);
        expect(fact.inetd).toEqual([
          { daemon: 'inetd', service: 'telnet', server: '/usr/sbin/in.telnetd', enabled: true, file: '/etc/inetd.conf', line: 1 },
        ]);
      },
    );
  });
});
