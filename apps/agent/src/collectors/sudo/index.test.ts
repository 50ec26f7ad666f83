import { describe, expect, it } from 'vitest';
import { collect } from './index';
import { effectiveDefaults, unauthenticated, usePtyDefault } from './effective';
import type { SudoDefault, SudoRule } from './parse';
import { fixtureRoot, withTree, rootContext } from '../../../test/support/host-trees';

const def = (name: string, value: boolean | string, scope: SudoDefault['scope'] = 'global', target: string | null = null): SudoDefault => ({
  name,
  value,
  operator: typeof value === 'string' ? '=' : null,
  scope,
  target,
  file: '/etc/sudoers',
  line: 1,
});
const rule = (who: string, command: string, tags: string[] = [], runas: string | null = 'ALL'): SudoRule => ({
  who: [who],
  host: ['ALL'],
  runas,
  commands: [{ command, tags }],
  file: '/etc/sudoers',
  line: 2,
});

describe('effective sudo defaults', () => {
  it.each([
    ['1.9.13p3-1+deb12u1', false],
    ['1.9.15p5-3ubuntu5', true],
    ['1.9.14', true],
    ['1.10.0', true],
    [null, false],
  ])('use_pty defaults to on from 1.9.14: %s -> %s', (version, want) => {
    expect(usePtyDefault(version)).toBe(want);
  });

  it('lets the last global line win and ignores scoped ones', () => {
    expect(
      effectiveDefaults(
        [
          def('use_pty', true),
          def('use_pty', false),
          def('timestamp_timeout', '2.5'),
          def('logfile', '/l'),
          def('log_output', false, 'command', 'x'),
          def('log_output', true),
          def('authenticate', false, 'user', 'bob'),
        ],
        null,
      ),
    ).toEqual({ use_pty: false, logfile: '/l', timestamp_timeout: 2.5, log_input: false, log_output: true, authenticate: true });
  });
});

describe('rules without authentication', () => {
  it.each([
    ['NOPASSWD tag', [], [rule('alice', 'ALL', ['NOPASSWD'])], ['NOPASSWD']],
    ['global !authenticate', [def('authenticate', false)], [rule('alice', 'ALL')], ['!authenticate']],
    ['PASSWD overrides !authenticate', [def('authenticate', false)], [rule('alice', 'ALL', ['PASSWD'])], []],
    ['user scope that names the rule', [def('authenticate', false, 'user', 'bob,alice')], [rule('alice', 'ALL')], ['!authenticate']],
    ['user scope for someone else', [def('authenticate', false, 'user', 'bob')], [rule('alice', 'ALL')], []],
    [
      'user scope re-enables after global',
      [def('authenticate', false), def('authenticate', true, 'user', 'alice')],
      [rule('alice', 'ALL')],
      [],
    ],
    ['command scope', [def('authenticate', false, 'command', '/bin/ls')], [rule('alice', '/bin/ls -l')], ['!authenticate']],
    ['runas scope with default root', [def('authenticate', false, 'runas', 'root')], [rule('alice', 'ALL', [], null)], ['!authenticate']],
  ])('%s', (_name, defaults, rules, reasons) => {
    expect(unauthenticated({ defaults, rules }).map((r) => r.reason)).toEqual(reasons);
  });
});

describe('sudo collector on fixture trees', () => {
  it('reads sudoers.d but skips backups and dotted names (Debian hardened)', async () => {
    const fact = await collect(rootContext(fixtureRoot('debian12-hardened')));
    expect(fact.files).toEqual(['/etc/sudoers', '/etc/sudoers.d/10-logging', '/etc/sudoers.d/README']);
    expect(fact.effective).toEqual({
      use_pty: true,
      logfile: '/var/log/sudo.log',
      timestamp_timeout: 5,
      log_input: true,
      log_output: true,
      authenticate: true,
    });
    expect(fact.defaults).toContainEqual({
      name: 'log_output',
      value: false,
      operator: null,
      scope: 'command',
      target: '/usr/bin/sudoreplay',
      file: '/etc/sudoers.d/10-logging',
      line: 5,
    });
    expect(fact.nopasswd).toEqual([]);
  });

  it('finds the cloud-init NOPASSWD rule (Ubuntu 22.04) and no use_pty before sudo 1.9.14', async () => {
    const fact = await collect(rootContext(fixtureRoot('ubuntu-2204')));
    expect(fact.nopasswd).toEqual([
      { who: ['ubuntu'], host: ['ALL'], runas: 'ALL', commands: ['ALL'], file: '/etc/sudoers.d/90-cloud-init-users', line: 4 },
    ]);
  });

  it('splits NOPASSWD and PASSWD commands of one rule, across a continued alias (Ubuntu 24.04)', async () => {
    const fact = await collect(rootContext(fixtureRoot('ubuntu-2404')));
    expect(fact.aliases[0]).toMatchObject({
      name: 'DEPLOY_CMDS',
      members: ['/usr/bin/systemctl restart app.service', '/usr/bin/journalctl -u app.service'],
      line: 2,
    });
    expect(fact.rules_without_authentication).toEqual([
      {
        who: ['deploy'],
        host: ['ALL'],
        runas: 'root',
        commands: ['DEPLOY_CMDS'],
        reason: 'NOPASSWD',
        file: '/etc/sudoers.d/50-deploy',
        line: 5,
      },
    ]);
    expect(fact.defaults.filter((d) => d.scope === 'user').map((d) => [d.name, d.value, d.target])).toEqual([
      ['lecture', false, 'deploy'],
      ['timestamp_timeout', '0', 'deploy'],
      ['authenticate', false, 'backup'],
    ]);
  });

  it('follows #includedir and a scoped !authenticate (RHEL, no dpkg: installed from /usr/bin/sudo)', async () => {
    const fact = await collect(rootContext(fixtureRoot('rhel9')));
    expect(fact).toMatchObject({ installed: true, version: null, files: ['/etc/sudoers', '/etc/sudoers.d/monitoring'] });
    expect(fact.effective.use_pty).toBe(false);
    expect(fact.nopasswd).toEqual([]);
    expect(fact.rules_without_authentication).toEqual([
      {
        who: ['nagios'],
        host: ['ALL'],
        runas: 'root',
        reason: '!authenticate',
        file: '/etc/sudoers.d/monitoring',
        line: 3,
        commands: ['/usr/lib64/nagios/plugins/check_disk', '/usr/lib64/nagios/plugins/check_raid'],
      },
    ]);
    expect(fact.defaults.find((d) => d.name === 'env_keep' && d.operator === '+=')?.value).toBe(
      'MAIL QTDIR USERNAME LANG LC_ADDRESS LC_CTYPE',
    );
  });

  it('says not installed rather than failing when there is neither sudo nor sudoers', async () => {
    await withTree({ 'var/lib/dpkg/status': 'Package: bash\nStatus: install ok installed\nVersion: 5\n' }, async (root) => {
      expect(await collect(rootContext(root))).toMatchObject({ installed: false, files: [], nopasswd: [] });
    });
  });

  it('fails with PLUMBLINE_ERR_SOURCE_MISSING when sudo is installed without /etc/sudoers', async () => {
    await withTree({ 'usr/bin/sudo': '' }, async (root) => {
      await expect(collect(rootContext(root))).rejects.toMatchObject({ code: 'PLUMBLINE_ERR_SOURCE_MISSING', path: '/etc/sudoers' });
    });
  });
});
