import { describe, expect, it } from 'vitest';
import { globComponentMatches } from '../lib/glob';
import { compareBytes } from '../lib/order';
import { parseSshdConfig, tokenizeSshdLine, type SshdConfigSource } from './parse';

/** An in-memory host: the parser's input, with glob(3) over the file names. */
function memorySource(files: Record<string, string>): SshdConfigSource {
  return {
    read: async (f) => files[f] ?? null,
    glob: async (pattern) => {
      const parts = pattern.split('/');
      return Object.keys(files)
        .filter((f) => {
          const fp = f.split('/');
          return fp.length === parts.length && parts.every((p, i) => globComponentMatches(p, fp[i] as string) || p === fp[i]);
        })
        .sort(compareBytes);
    },
  };
}

const MAIN = '/etc/ssh/sshd_config';

describe('tokenizeSshdLine', () => {
  it.each([
    ['PermitRootLogin no', 'PermitRootLogin', ['no']],
    ['\tMaxAuthTries 6', 'MaxAuthTries', ['6']],
    ['   PasswordAuthentication    no   ', 'PasswordAuthentication', ['no']],
    ['Port=2222', 'Port', ['2222']],
    ['Port = 2222', 'Port', ['2222']],
    ['Port =2222', 'Port', ['2222']],
    ['PermitRootLogin no\r', 'PermitRootLogin', ['no']],
    ['X11Forwarding no # trailing comment', 'X11Forwarding', ['no']],
    ['Banner /etc/issue#net', 'Banner', ['/etc/issue#net']],
    ['Banner "/etc/my banner"', 'Banner', ['/etc/my banner']],
    ["Banner '/etc/my banner'", 'Banner', ['/etc/my banner']],
    ['Banner /etc/my\\ banner', 'Banner', ['/etc/my banner']],
    ['ForceCommand echo "a \\"quoted\\" word"', 'ForceCommand', ['echo', 'a "quoted" word']],
    ['AcceptEnv LANG LC_*', 'AcceptEnv', ['LANG', 'LC_*']],
    ['Subsystem\tsftp\t/usr/lib/openssh/sftp-server', 'Subsystem', ['sftp', '/usr/lib/openssh/sftp-server']],
    ['AuthorizedKeysFile ""', 'AuthorizedKeysFile', ['']],
  ])('%j', (line, keyword, args) => {
    expect(tokenizeSshdLine(line)).toEqual({ kind: 'directive', keyword, args });
  });

  it.each(['', '   ', '# PermitRootLogin yes', '   #PermitRootLogin yes', '\t# x', '\r'])('%j is blank', (line) => {
    expect(tokenizeSshdLine(line)).toEqual({ kind: 'blank' });
  });

  it.each([
    ['PermitRootLogin', /no argument/],
    ['Banner "/etc/unterminated', /invalid quotes/],
    ['PermitRootLogin # only a comment', /missing argument/],
  ])('%j is an error sshd would refuse', (line, message) => {
    const t = tokenizeSshdLine(line);
    expect(t.kind).toBe('error');
    expect(t.kind === 'error' && t.message).toMatch(message);
  });
});

interface Case {
  name: string;
  files: Record<string, string>;
  want: Record<string, { value: string; file?: string; line?: number }>;
  match?: { criteria: string; settings: Record<string, string> }[];
  warnings?: RegExp[];
}

const CASES: Case[] = [
  {
    name: 'drop-in included before the main keywords wins; Match block changes nothing global',
    files: {
      [MAIN]:
        'Include /etc/ssh/sshd_config.d/*.conf\npermitrootlogin no\n\tMaxAuthTries 6\nPasswordAuthentication no\nMatch User deploy\n    PasswordAuthentication yes\n    MaxAuthTries 2\n',
      '/etc/ssh/sshd_config.d/10-site.conf': '# hardening drop-in\nPermitRootLogin prohibit-password\nmaxauthtries 3\n',
    },
    want: {
      permitrootlogin: { value: 'prohibit-password', file: '/etc/ssh/sshd_config.d/10-site.conf', line: 2 },
      maxauthtries: { value: '3', file: '/etc/ssh/sshd_config.d/10-site.conf', line: 3 },
      passwordauthentication: { value: 'no', file: MAIN, line: 4 },
    },
    match: [{ criteria: 'User deploy', settings: { passwordauthentication: 'yes', maxauthtries: '2' } }],
  },
  {
    name: 'an Include after a keyword cannot override it',
    files: {
      [MAIN]: 'PermitRootLogin no\nInclude /etc/ssh/sshd_config.d/*.conf\n',
      '/etc/ssh/sshd_config.d/a.conf': 'PermitRootLogin yes\n',
    },
    want: { permitrootlogin: { value: 'no', file: MAIN, line: 1 } },
  },
  {
    name: 'globbed files are read in byte order, so 10- beats 20- and upper case beats lower',
    files: {
      [MAIN]: 'Include sshd_config.d/*.conf\n',
      '/etc/ssh/sshd_config.d/20-b.conf': 'LogLevel INFO\nBanner /b\n',
      '/etc/ssh/sshd_config.d/10-a.conf': 'LogLevel VERBOSE\n',
      '/etc/ssh/sshd_config.d/Z.conf': 'Banner /Z\n',
      '/etc/ssh/sshd_config.d/ignored.conf.bak': 'LogLevel DEBUG3\n',
    },
    want: { loglevel: { value: 'VERBOSE', line: 1 }, banner: { value: '/b' } },
  },
  {
    name: 'relative Include paths are relative to /etc/ssh and nest',
    files: {
      [MAIN]: 'Include extra.conf\nPort 22\n',
      '/etc/ssh/extra.conf': 'Include /etc/ssh/deeper/*.conf\n',
      '/etc/ssh/deeper/x.conf': 'Port 2222\nUseDNS yes\n',
    },
    want: { port: { value: '2222', file: '/etc/ssh/deeper/x.conf' }, usedns: { value: 'yes' } },
  },
  {
    name: 'Include inside a Match block belongs to that block; a Match in an included file ends at its end',
    files: {
      [MAIN]:
        'Include /etc/ssh/global.conf\nX11Forwarding no\nMatch Group admins\n  Include /etc/ssh/admins.conf\nMatch all\nPermitTTY no\n',
      '/etc/ssh/global.conf': 'Match User bob\nAllowTcpForwarding yes\n',
      '/etc/ssh/admins.conf': 'AllowTcpForwarding no\n',
    },
    want: { x11forwarding: { value: 'no', line: 2 }, permittty: { value: 'no', line: 6 } },
    match: [
      { criteria: 'User bob', settings: { allowtcpforwarding: 'yes' } },
      { criteria: 'Group admins', settings: { allowtcpforwarding: 'no' } },
    ],
  },
  {
    name: 'keywords are case-insensitive and old spellings share the new option',
    files: { [MAIN]: 'CHALLENGERESPONSEAUTHENTICATION no\nKbdInteractiveAuthentication yes\nPUBKEYauthentication yes\n' },
    want: { kbdinteractiveauthentication: { value: 'no', line: 1 }, pubkeyauthentication: { value: 'yes' } },
  },
  {
    name: 'CRLF files, quotes, = form and trailing comments',
    files: { [MAIN]: 'Banner "/etc/issue net"\r\nMaxSessions=4\r\nX11Forwarding no # legacy\r\n' },
    want: { banner: { value: '/etc/issue net' }, maxsessions: { value: '4', line: 2 }, x11forwarding: { value: 'no' } },
  },
  {
    name: 'a missing include is not an error; a broken line is a warning',
    files: { [MAIN]: 'Include /etc/ssh/none/*.conf\nPermitRootLogin\nPermitRootLogin no\n' },
    want: { permitrootlogin: { value: 'no', line: 3 } },
    warnings: [/sshd_config:2: no argument after keyword "PermitRootLogin"/],
  },
];

describe('parseSshdConfig', () => {
  it.each(CASES)('$name', async (c) => {
    const parsed = await parseSshdConfig(memorySource(c.files));
    expect(parsed).not.toBeNull();
    for (const [key, want] of Object.entries(c.want)) expect(parsed?.settings[key], key).toMatchObject(want);
    if (c.match) {
      expect(
        parsed?.match_blocks.map((b) => ({
          criteria: b.criteria,
          settings: Object.fromEntries(Object.entries(b.settings).map(([k, v]) => [k, v.value])),
        })),
      ).toEqual(c.match);
    }
    expect(parsed?.warnings.length).toBe(c.warnings?.length ?? 0);
    c.warnings?.forEach((re, i) => expect(parsed?.warnings[i]).toMatch(re));
  });

  it('accumulates list keywords instead of keeping only the first line', async () => {
    const parsed = await parseSshdConfig(
      memorySource({ [MAIN]: 'Port 22\nPort 2022\nAllowUsers alice\nAllowUsers bob carol\nAcceptEnv LANG LC_*\n' }),
    );
    expect(parsed?.settings.port).toMatchObject({ value: '22', values: ['22', '2022'], line: 1 });
    expect(parsed?.settings.allowusers?.values).toEqual(['alice', 'bob carol']);
    expect(parsed?.settings.acceptenv).toMatchObject({ args: ['LANG', 'LC_*'], values: ['LANG LC_*'] });
  });

  it('lists every file read, in reading order, and keeps the keyword as written', async () => {
    const parsed = await parseSshdConfig(
      memorySource({
        [MAIN]: 'Include /etc/ssh/d/*.conf\nPermitRootLogin no\n',
        '/etc/ssh/d/b.conf': '',
        '/etc/ssh/d/a.conf': 'permitRootLOGIN yes\n',
      }),
    );
    expect(parsed?.files).toEqual([MAIN, '/etc/ssh/d/a.conf', '/etc/ssh/d/b.conf']);
    expect(parsed?.settings.permitrootlogin).toMatchObject({ keyword: 'permitRootLOGIN', value: 'yes', args: ['yes'] });
  });

  it('stops runaway include recursion with a warning', async () => {
    const parsed = await parseSshdConfig(memorySource({ [MAIN]: 'Include /etc/ssh/sshd_config\nPort 22\n' }));
    expect(parsed?.settings.port?.value).toBe('22');
    expect(parsed?.warnings.some((w) => /nested deeper than 16/.test(w))).toBe(true);
  });

  it('warns about a line that is not an sshd keyword and keeps the settings around it', async () => {
    const parsed = await parseSshdConfig(memorySource({ [MAIN]: 'PermitRootLogin no\n__proto__ yes\nPermit-Root x\nMaxAuthTries 3\n' }));
    expect(Object.keys(parsed?.settings ?? {})).toEqual(['maxauthtries', 'permitrootlogin']);
    expect(parsed?.warnings).toEqual([
      `${MAIN}:2: "__proto__" is not an sshd keyword (sshd refuses to start with this line)`,
      `${MAIN}:3: "Permit-Root" is not an sshd keyword (sshd refuses to start with this line)`,
    ]);
  });

  it('keeps a keyword spelled like an Object member as its own setting', async () => {
    const parsed = await parseSshdConfig(memorySource({ [MAIN]: 'Constructor 2\n' }));
    expect(parsed?.settings.constructor).toEqual({ keyword: 'Constructor', value: '2', args: ['2'], file: MAIN, line: 1 });
  });

  it('returns null without a main file', async () => {
    expect(await parseSshdConfig(memorySource({}))).toBeNull();
  });
});
