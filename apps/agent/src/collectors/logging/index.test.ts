import { describe, expect, it } from 'vitest';
import { collect as collectAudit, lastControl, parseAuditRules } from '../audit/index';
import { naturalCompare } from '../lib/order';
import { collect, parseRsyslogConf } from './index';
import { mergeIni } from '../lib/systemd-conf';
import { fixtureRoot, rootContext } from '../../../test/support/host-trees';
import { collect as collectTime, parseNtpStyleConf } from '../time-sync/index';

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
    const p = parseRsyslogConf('$FileCreateMode 0640\n$IncludeConfig /etc/rsyslog.d/*.conf\ninclude(file="/etc/x.conf")\n$InputTCPServerRun 514\ninput(type="imudp" port="514")\nmodule(load="imtcp")\n', 'f');
    expect(p.fileCreateMode).toEqual({ value: '0640', file: 'f', line: 1 });
    expect(p.includes).toEqual(['/etc/rsyslog.d/*.conf', '/etc/x.conf']);
    expect(p.inputs.map((i) => [i.module, i.line])).toEqual([['imtcp', 4], ['imudp', 5]]);
  });
});

describe('journald', () => {
  it('lets the last assignment of a key in the section win', () => {
    expect(mergeIni([{ file: 'a', text: '[Journal]\nStorage=auto\n[Other]\nCompress=no\n' }, { file: 'b', text: '[Journal]\nStorage=persistent\n' }], 'Journal')).toEqual({
      Storage: { value: 'persistent', file: 'b', line: 2 },
    });
  });

  it('applies drop-ins after journald.conf; a /dev/null drop-in masks the vendor one (Debian hardened, Ubuntu 24.04)', async () => {
    const d = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(d.journald).toMatchObject({ storage: 'persistent', compress: 'yes', forward_to_syslog: 'no', files: ['/etc/systemd/journald.conf', '/etc/systemd/journald.conf.d/60-hardening.conf'] });
    expect(d.rsyslog).toMatchObject({ installed: true, service_enabled: true, file_create_mode: { value: '0640', line: 33 } });
    expect(d.rsyslog.remote_targets.map((t) => t.target)).toEqual(['loghost.example.net:514', 'siem.example.net:6514']);
    const u = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(u.journald.forward_to_syslog).toBeNull();
  });

  it('reports a listening TCP input (RHEL)', async () => {
    expect((await collect(rootContext(fixtureRoot('rhel9')))).rsyslog.remote_inputs).toEqual([{ module: 'imtcp', file: '/etc/rsyslog.conf', line: 38 }]);
  });
});

describe('audit', () => {
  it('orders rules.d like ls -v and reads control lines', () => {
    expect(['audit.rules', '100-local.rules', '99-finalize.rules', '10-base.rules'].sort(naturalCompare)).toEqual(['10-base.rules', '99-finalize.rules', '100-local.rules', 'audit.rules']);
    const rules = parseAuditRules('-D\n# c\n-b 8192\n-e 1\n-w /etc/passwd  -p wa -k identity\n-e 2\n', 'f');
    expect(rules.map((r) => r.rule)).toEqual(['-D', '-b 8192', '-e 1', '-w /etc/passwd -p wa -k identity', '-e 2']);
    expect(lastControl(rules, 'e')).toBe('2');
  });

  it('reads auditd.conf, rules.d and the kernel arguments (Debian hardened)', async () => {
    const a = await collectAudit(rootContext(fixtureRoot('debian12-hardened')));
    expect(a).toMatchObject({ installed: true, service_enabled: true, max_log_file: 32, max_log_file_action: 'keep_logs', space_left_action: 'email', admin_space_left_action: 'single', rules_source: 'rules.d', immutable: true, backlog_limit: 8192, kernel_audit: '1', kernel_backlog_limit: '8192' });
    expect(a.rule_files.at(-2)).toBe('/etc/audit/rules.d/100-local.rules');
    expect(a.rules).toContainEqual({ rule: '-w /etc/sudoers -p wa -k scope', file: '/etc/audit/rules.d/50-scope.rules', line: 1 });
  });

  it('falls back to audit.rules and says not installed without auditd (RHEL, Ubuntu)', async () => {
    expect(await collectAudit(rootContext(fixtureRoot('rhel9')))).toMatchObject({ rules_source: 'audit.rules', immutable: false, max_log_file_action: 'ROTATE' });
    expect(await collectAudit(rootContext(fixtureRoot('ubuntu-2204')))).toMatchObject({ installed: false, config_file: null, rules: [] });
  });
});

describe('time_sync', () => {
  it('parses chrony/ntp source lines and directory directives', () => {
    expect(parseNtpStyleConf('pool 2.debian.pool.ntp.org iburst\n# server x\nserver 10.0.0.1 iburst nts ! c\nconfdir /etc/chrony/conf.d\nsourcedir /run/a /etc/b\n', 'f')).toEqual({
      servers: [
        { kind: 'pool', host: '2.debian.pool.ntp.org', options: ['iburst'], file: 'f', line: 1 },
        { kind: 'server', host: '10.0.0.1', options: ['iburst', 'nts'], file: 'f', line: 3 },
      ],
      include: [],
      confdir: ['/etc/chrony/conf.d'],
      sourcedir: ['/run/a', '/etc/b'],
    });
  });

  it.each([
    ['debian12-hardened', 'chrony', ['ntp1.example.net', 'ntp2.example.net']],
    ['rhel9', 'chrony', ['2.rocky.pool.ntp.org']],
    ['ubuntu-2404', 'systemd-timesyncd', ['ntp1.example.net', 'ntp2.example.net']],
    ['edge-mqtt', 'systemd-timesyncd', ['time.cloudflare.com', '0.debian.pool.ntp.org', '1.debian.pool.ntp.org']],
  ])('%s uses %s with %j', async (scenario, name, hosts) => {
    const fact = await collectTime(rootContext(fixtureRoot(scenario)));
    expect(fact.enabled).toEqual([name]);
    expect(fact.daemons.find((d) => d.name === name)?.servers.map((s) => s.host)).toEqual(hosts);
  });
});
