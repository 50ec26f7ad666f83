import { describe, expect, it } from 'vitest';
import { includedirFiles, logicalLines, parseCommandList, parseDefaultsParams, parseSudoers, parseUserSpec, stripComment } from './parse';
import { cases } from '../../../test/support/cases';

describe('sudoers lexing', () => {
  cases(stripComment, [
    ['Defaults use_pty # pty for all', 'Defaults use_pty '],
    ['# a comment', ''],
    ['alice ALL=(#0) ALL', 'alice ALL=(#0) ALL'],
    ['#1000 ALL=(ALL) ALL', '#1000 ALL=(ALL) ALL'],
    ['Defaults logfile="/var/log/a#b"', 'Defaults logfile="/var/log/a#b"'],
    ['Defaults x=a\\#b', 'Defaults x=a\\#b'],
  ]);

  it('joins backslash continuations and keeps the first line number', () => {
    expect(logicalLines('a \\\n b\nc\r\n')).toEqual([
      { text: 'a  b', line: 1 },
      { text: 'c', line: 3 },
      { text: '', line: 4 },
    ]);
  });

  it('takes includedir files without a dot or a trailing ~, in byte order', () => {
    expect(includedirFiles(['README', 'b~', 'x.dpkg-old', 'a_1', 'Z', '90-cloud'])).toEqual(['90-cloud', 'README', 'Z', 'a_1']);
  });
});

describe('parseDefaultsParams', () => {
  it.each([
    ['use_pty', [{ name: 'use_pty', value: true, operator: null }]],
    ['!authenticate', [{ name: 'authenticate', value: false, operator: null }]],
    ['!!lecture', [{ name: 'lecture', value: true, operator: null }]],
    ['!logfile', [{ name: 'logfile', value: false, operator: null }]],
    ['logfile="/var/log/sudo.log"', [{ name: 'logfile', value: '/var/log/sudo.log', operator: '=' }]],
    ['timestamp_timeout = 15', [{ name: 'timestamp_timeout', value: '15', operator: '=' }]],
    ['env_keep += "LANG, LC_ALL"', [{ name: 'env_keep', value: 'LANG, LC_ALL', operator: '+=' }]],
    ['env_keep-=HOME', [{ name: 'env_keep', value: 'HOME', operator: '-=' }]],
    [
      'log_input,log_output , !lecture',
      [
        { name: 'log_input', value: true, operator: null },
        { name: 'log_output', value: true, operator: null },
        { name: 'lecture', value: false, operator: null },
      ],
    ],
  ])('%s', (text, want) => {
    expect(parseDefaultsParams(text)).toEqual(want);
  });
});

describe('parseCommandList', () => {
  it('carries Runas and tags over to later commands until changed', () => {
    expect(parseCommandList('(root) NOPASSWD: /bin/a, /bin/b arg, PASSWD: SETENV: /bin/c, (www-data : adm) /bin/d, !/bin/su')).toEqual([
      { runas: 'root', command: '/bin/a', tags: ['NOPASSWD'] },
      { runas: 'root', command: '/bin/b arg', tags: ['NOPASSWD'] },
      { runas: 'root', command: '/bin/c', tags: ['PASSWD', 'SETENV'] },
      { runas: 'www-data : adm', command: '/bin/d', tags: ['PASSWD', 'SETENV'] },
      { runas: 'www-data : adm', command: '!/bin/su', tags: ['PASSWD', 'SETENV'] },
    ]);
  });

  it('skips command options and digests', () => {
    expect(parseCommandList('CWD=/srv NOPASSWD: sha256:abcd /usr/bin/x')).toEqual([
      { runas: null, command: '/usr/bin/x', tags: ['NOPASSWD'] },
    ]);
  });
});

describe('parseUserSpec', () => {
  it('splits who, host and each host spec; escaped characters stay in the command', () => {
    const rules = parseUserSpec('alice, %ops  web1, web2 = (ALL:ALL) NOPASSWD:ALL : db1 = /usr/bin/psql a\\:b', '/etc/sudoers', 7);
    expect(rules).toEqual([
      {
        who: ['alice', '%ops'],
        host: ['web1', 'web2'],
        runas: 'ALL : ALL',
        commands: [{ command: 'ALL', tags: ['NOPASSWD'] }],
        file: '/etc/sudoers',
        line: 7,
      },
      {
        who: ['alice', '%ops'],
        host: ['db1'],
        runas: null,
        commands: [{ command: '/usr/bin/psql a\\:b', tags: [] }],
        file: '/etc/sudoers',
        line: 7,
      },
    ]);
  });

  it('rejects a line without =', () => {
    expect(parseUserSpec('alice ALL', 'f', 1)).toBeNull();
  });
});

describe('parseSudoers', () => {
  const tree: Record<string, string> = {
    '/etc/sudoers': 'Defaults use_pty\n#includedir /etc/sudoers.d\n@include sudoers.local\n%admin ALL=(ALL) ALL\n',
    '/etc/sudoers.d/10-a': 'User_Alias OPS = alice, bob : DBA = carol\nOPS ALL=(root) NOPASSWD: /bin/ls\n',
    '/etc/sudoers.d/b.conf': 'evil ALL=(ALL) NOPASSWD: ALL\n',
    '/etc/sudoers.local': 'Defaults:OPS !lecture\n@include /etc/sudoers\n',
  };
  const src = {
    read: async (f: string) => tree[f] ?? null,
    list: async (d: string) =>
      Object.keys(tree)
        .filter((f) => f.startsWith(`${d}/`))
        .map((f) => f.slice(d.length + 1)),
  };

  it('expands includes where they stand, relative to the including file, and survives a loop', async () => {
    const p = await parseSudoers('/etc/sudoers', src);
    expect(p?.files).toEqual(['/etc/sudoers', '/etc/sudoers.d/10-a', '/etc/sudoers.local']);
    expect(p?.aliases).toEqual([
      { type: 'User_Alias', name: 'OPS', members: ['alice', 'bob'], file: '/etc/sudoers.d/10-a', line: 1 },
      { type: 'User_Alias', name: 'DBA', members: ['carol'], file: '/etc/sudoers.d/10-a', line: 1 },
    ]);
    expect(p?.defaults.map((d) => [d.name, d.scope, d.target, d.file])).toEqual([
      ['use_pty', 'global', null, '/etc/sudoers'],
      ['lecture', 'user', 'OPS', '/etc/sudoers.local'],
    ]);
    expect(p?.rules.map((r) => [r.who, r.line])).toEqual([
      [['OPS'], 2],
      [['%admin'], 4],
    ]);
    expect(p?.warnings).toEqual(['/etc/sudoers: include loop or nesting too deep; skipped']);
  });

  it('returns null without the main file and warns about a missing include', async () => {
    expect(await parseSudoers('/nope', src)).toBeNull();
    const p = await parseSudoers('/etc/s', { read: async (f) => (f === '/etc/s' ? '@include missing\n' : null), list: async () => [] });
    expect(p?.warnings).toEqual(['/etc/s:1: included file /etc/missing is missing or unreadable']);
  });
});
