import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAuditRules } from './audit/parse';
import { parseAptConf } from './automatic-updates/parse';
import { parseElfMachine, parseHostnameFile, parseOsRelease } from './host/parse';
import { parseIptablesSave } from './firewall/parse-iptables';
import { parseKernelConfig } from './kernel-config/parse';
import { parseModprobeConf, parseProcModules } from './kernel-modules/parse';
import { parseIni, parseKeyValueConf, parseShellVars } from './lib/kv-files';
import { parseRsyslogConf } from './logging/parse';
import { parseLoginDefs } from './login-defs/parse';
import { parseMountTable } from './mounts/parse';
import { parseNftConf, parseNftJson } from './firewall/parse-nftables';
import { parseOpensslVersion } from './openssl/parse';
import { parseRpmQuery } from './packages/parse';
import { parseDpkgStatus } from './lib/dpkg-status';
import { parsePamFile } from './pam/parse';
import { decodeHexAddress, parseCgroupUnit, parseProcNet } from './sockets/parse';
import { parseListUnitFiles, parseListUnits } from './services/parse';
import { parseSshdConfig, parseSshdTestOutput } from './sshd/parse';
import { parseCommandList, parseDefaultsParams, parseSudoers, parseUserSpec } from './sudo/parse';
import { parseSysctlConf } from './sysctl/parse';
import { parseNtpStyleConf } from './time-sync/parse';
import { parseUfwStatus, parseUfwTuples } from './firewall/parse-ufw';
import { parseAptSimulation, parseDnfCheckUpdate, parseDnfSecurity } from './updates/parse';
import { parseShadow } from './users/parse';
import { parseGroup, parsePasswd } from './lib/accounts';

/**
 * Every pure parser of host files and command output, against random and adversarial text:
 * each returns its value (possibly empty, possibly with warnings) and never throws, so a
 * corrupt file on a host yields a fact with less in it, not a failed collection.
 * Exception, by contract: parseNftJson throws on text that is not JSON, and its caller
 * turns that into a warning and falls back to the configuration files.
 */

const RUNS = { numRuns: 250 };
/** Words that name a member of every plain object. */
const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'prototype'];

/** Pieces that the formats give meaning to, so random lines reach past the first check of each parser. */
const token = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      '#',
      '=',
      ':',
      ' ',
      '\t',
      '"',
      "'",
      '\\',
      '\\\n',
      '[',
      ']',
      '{',
      '}',
      '(',
      ')',
      ';',
      ',',
      '!',
      '*',
      '?',
      '@',
      '%',
      '$',
      '-',
      '+=',
      '-=',
      'Include',
      'Match',
      'User',
      'all',
      'PermitRootLogin',
      'include',
      '@include',
      '#include',
      '#includedir',
      'Defaults',
      'ALL',
      'NOPASSWD:',
      'Cmnd_Alias',
      'install',
      'blacklist',
      'options',
      '/bin/false',
      'table',
      'chain',
      'policy',
      'drop',
      'hook',
      'type',
      'filter',
      'input',
      '*filter',
      ':INPUT',
      'COMMIT',
      '-A',
      'Package:',
      'Status:',
      'install ok installed',
      'Version:',
      'server',
      'pool',
      'auth',
      'required',
      'pam_pwquality.so',
      'minlen=14',
      'CONFIG_',
      '=y',
      '=m',
      'net.ipv4.ip_forward',
      '0',
      '1',
      '-1',
      '99999999999999999999',
      '0x',
      'FFFFFFFF',
      '00000000:0016',
      '0A',
      'NaN',
      'root',
      'x',
      '/',
      '/etc',
      'ext4',
      'defaults',
      '-w',
      '-p',
      'wa',
      '-k',
      'Inst',
      'Conf',
      'APT::Periodic::Unattended-Upgrade',
      '"1";',
      'enabled',
      'active',
      'running',
      'loaded',
      'ENABLED=yes',
      'Status: active',
      ...PROTOTYPE_KEYS,
    ),
  },
);
const line = fc.array(token, { maxLength: 12 }).map((parts) => parts.join(''));
/** Text shaped like a config file or command output: lines of meaningful and random pieces. */
const text = fc.oneof(
  { weight: 4, arbitrary: fc.array(line, { maxLength: 30 }).map((lines) => lines.join('\n')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 400 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 400 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '\n', '\r\n', '\\', '\0', '\uFEFF#', ' '.repeat(10_000), 'a'.repeat(100_000), '\\\n'.repeat(1000)),
  },
);

const file = '/etc/some/file';
const parsers: [string, (t: string) => unknown][] = [
  ['parseAuditRules', (t) => parseAuditRules(t, file)],
  ['parseAptConf', (t) => parseAptConf(t, file)],
  ['parseOsRelease', parseOsRelease],
  ['parseHostnameFile', parseHostnameFile],
  ['parseIptablesSave', (t) => parseIptablesSave(t, file)],
  ['parseKernelConfig', (t) => parseKernelConfig(t)],
  ['parseProcModules', parseProcModules],
  ['parseModprobeConf', parseModprobeConf],
  ['parseShellVars', (t) => parseShellVars(t)],
  ['parseKeyValueConf', parseKeyValueConf],
  ['parseIni', parseIni],
  ['parseRsyslogConf', (t) => parseRsyslogConf(t, file)],
  ['parseLoginDefs', parseLoginDefs],
  ['parseMountTable', (t) => parseMountTable(t, file)],
  ['parseNftConf', (t) => parseNftConf(t)],
  ['parseOpensslVersion', parseOpensslVersion],
  ['parseDpkgStatus', parseDpkgStatus],
  ['parseRpmQuery', parseRpmQuery],
  ['parsePamFile', (t) => parsePamFile(t, file)],
  ['parseProcNet (tcp)', (t) => parseProcNet(t, 'tcp')],
  ['parseProcNet (udp6)', (t) => parseProcNet(t, 'udp6')],
  ['decodeHexAddress', decodeHexAddress],
  ['parseCgroupUnit', parseCgroupUnit],
  ['parseListUnitFiles', parseListUnitFiles],
  ['parseListUnits', parseListUnits],
  ['parseSshdTestOutput', parseSshdTestOutput],
  ['parseDefaultsParams', parseDefaultsParams],
  ['parseCommandList', parseCommandList],
  ['parseUserSpec', (t) => parseUserSpec(t, file, 1)],
  ['parseSysctlConf', parseSysctlConf],
  ['parseNtpStyleConf', (t) => parseNtpStyleConf(t, file)],
  ['parseUfwTuples', (t) => parseUfwTuples(t, file, false)],
  ['parseUfwStatus', parseUfwStatus],
  ['parseAptSimulation', parseAptSimulation],
  ['parseDnfCheckUpdate', (t) => parseDnfCheckUpdate(t, new Set(['openssl']))],
  ['parseDnfSecurity', parseDnfSecurity],
  ['parsePasswd', parsePasswd],
  ['parseShadow', parseShadow],
  ['parseGroup', parseGroup],
];

describe('collector parsers, property-based', () => {
  // Keys a plain object already "has": a parser that indexes one with a word read from the
  // input finds Object's members there instead of nothing.
  it.each(parsers)('%s never throws on lines keyed by an Object member', (_name, parse) => {
    for (const key of PROTOTYPE_KEYS) {
      for (const t of [key, `${key} 1`, `${key}=1`, `${key}: x`, `${key} a\n${key} b`, `${key} = 1\n${key} = 2`]) parse(t);
    }
  });

  for (const [name, parse] of parsers) {
    it(`${name} never throws on random or adversarial text`, () => {
      fc.assert(
        fc.property(text, (t) => {
          parse(t);
        }),
        RUNS,
      );
    });
  }

  it('parseElfMachine never throws on random bytes, and names no machine without the ELF magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, magic) => {
        const buf = Buffer.from(bytes);
        if (magic && buf.length >= 4) buf.writeUInt32BE(0x7f454c46, 0);
        const machine = parseElfMachine(buf);
        if (buf.length < 4 || buf.readUInt32BE(0) !== 0x7f454c46) expect(machine).toBeNull();
      }),
      RUNS,
    );
  });

  it('parseProcNet yields only sockets a fact can hold (ports 0-65535, whole inodes)', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('tcp', 'tcp6', 'udp', 'udp6') as fc.Arbitrary<'tcp' | 'tcp6' | 'udp' | 'udp6'>, (t, protocol) => {
        for (const s of parseProcNet(t, protocol)) {
          expect(Number.isInteger(s.port) && s.port >= 0 && s.port <= 65535).toBe(true);
          expect(Number.isInteger(s.inode) && s.inode >= 0).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('parseNftJson returns tables or throws an Error (which its caller turns into a warning)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          fc.jsonValue().map((v) => JSON.stringify(v) ?? 'null'),
          fc.jsonValue().map((v) => JSON.stringify({ nftables: v })),
        ),
        (t) => {
          try {
            expect(Array.isArray(parseNftJson(t))).toBe(true);
          } catch (err) {
            expect(err).toBeInstanceOf(Error);
          }
        },
      ),
      RUNS,
    );
  });

  it('parseSshdConfig reads random configuration without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (t) => {
        // Includes resolve to nothing here: include cycles are covered in parsers.pending.ts.
        await parseSshdConfig({ read: async (f: string) => (f === '/etc/ssh/sshd_config' ? t : null), glob: async () => [] });
      }),
      RUNS,
    );
  });

  it('parseSshdConfig expands an acyclic Include tree of random files without throwing', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, text, async (main, a, b) => {
        const noInclude = (t: string) => t.replace(/include/gi, '');
        const files: Record<string, string> = {
          '/etc/ssh/sshd_config': `Include /etc/ssh/sshd_config.d/*.conf\n${noInclude(main)}`,
          '/etc/ssh/sshd_config.d/a.conf': `Match User x\n${noInclude(a)}`,
          '/etc/ssh/sshd_config.d/b.conf': noInclude(b),
        };
        const parsed = await parseSshdConfig({
          read: async (f: string) => files[f] ?? null,
          glob: async (pattern: string) =>
            pattern === '/etc/ssh/sshd_config.d/*.conf' ? ['/etc/ssh/sshd_config.d/a.conf', '/etc/ssh/sshd_config.d/b.conf'] : [],
        });
        expect(parsed?.files[0]).toBe('/etc/ssh/sshd_config');
      }),
      { numRuns: 150 },
    );
  });

  it('parseSudoers follows random include trees without throwing or looping', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom('/etc/sudoers', '/etc/sudoers.d/a', '/etc/sudoers.d/b', '/etc/other'), text),
        async (files) => {
          const main = `#includedir /etc/sudoers.d\n@include /etc/sudoers\n${files['/etc/sudoers'] ?? ''}`;
          const src = {
            read: async (f: string) => (f === '/etc/sudoers' ? main : (files[f] ?? null)),
            list: async (dir: string) =>
              Object.keys(files)
                .filter((f) => f.startsWith(`${dir}/`))
                .map((f) => f.slice(dir.length + 1)),
          };
          await parseSudoers('/etc/sudoers', src);
        },
      ),
      { numRuns: 150 },
    );
  });
});
