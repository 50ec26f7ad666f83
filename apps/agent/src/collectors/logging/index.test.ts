import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { parseRsyslogConf } from './parse';
import { mergeIni } from '../lib/systemd-conf';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';

describe('parseRsyslogConf', () => {
  it.each([
    ['*.* @@loghost:514', [{ target: 'loghost:514', protocol: 'tcp' }]],
    ['auth.* @10.0.0.1', [{ target: '10.0.0.1', protocol: 'udp' }]],
    ['*.* :omrelp:relp.example.net:2514', [{ target: 'relp.example.net:2514', protocol: 'relp' }]],
    ['*.* action(type="omfwd" target="a" port="514" protocol="tcp")', []],
    ['action(type="omfwd"\n  target="siem" protocol="TCP")', [{ target: 'siem', protocol: 'tcp' }]],
    ['# *.* @@commented', []],
    ['*.*;auth,authpriv.none -/var/log/syslog', []],
  ])('%j', (text, want) => {
    expect(parseRsyslogConf(text, '/etc/rsyslog.conf').remote.map(({ target, protocol }) => ({ target, protocol }))).toEqual(want);
  });

  it('finds FileCreateMode, includes and network inputs in both syntaxes', () => {
    const p = parseRsyslogConf(
      '$FileCreateMode 0640\n$IncludeConfig /etc/rsyslog.d/*.conf\ninclude(file="/etc/x.conf")\n$InputTCPServerRun 514\ninput(type="imudp" port="514")\nmodule(load="imtcp")\n',
      'f',
    );
    expect(p.fileCreateMode).toEqual({ value: '0640', file: 'f', line: 1 });
    expect(p.includes).toEqual(['/etc/rsyslog.d/*.conf', '/etc/x.conf']);
    expect(p.inputs.map((i) => [i.module, i.line])).toEqual([
      ['imtcp', 4],
      ['imudp', 5],
    ]);
  });
});

describe('journald', () => {
  it('lets the last assignment of a key in the section win', () => {
    expect(
      mergeIni(
        [
          { file: 'a', text: '[Journal]\nStorage=auto\n[Other]\nCompress=no\n' },
          { file: 'b', text: '[Journal]\nStorage=persistent\n' },
        ],
        'Journal',
      ),
    ).toEqual({
      Storage: { value: 'persistent', file: 'b', line: 2 },
    });
  });

  it('applies drop-ins after journald.conf; a /dev/null drop-in masks the vendor one (Debian hardened, Ubuntu 24.04)', async () => {
    const d = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(d.journald).toMatchObject({
      storage: 'persistent',
      compress: 'yes',
      forward_to_syslog: 'no',
      files: ['/etc/systemd/journald.conf', '/etc/systemd/journald.conf.d/60-hardening.conf'],
    });
    expect(d.rsyslog).toMatchObject({ installed: true, service_enabled: true, file_create_mode: { value: '0640', line: 33 } });
    expect(d.rsyslog.remote_targets.map((t) => t.target)).toEqual(['loghost.example.net:514', 'siem.example.net:6514']);
    const u = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(u.journald.forward_to_syslog).toBeNull();
  });

  it('reports a listening TCP input (RHEL)', async () => {
    expect((await collect(rootContext(fixtureRoot('rhel9')))).rsyslog.remote_inputs).toEqual([
      { module: 'imtcp', file: '/etc/rsyslog.conf', line: 38 },
    ]);
  });
});
