import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aptPartFiles } from './automatic-updates/parse';
import { naturalCompare } from './lib/order';
import { listHasPath, packageFromListFile, pathAliases } from './sockets/parse-dpkg-lists';
import { globComponentMatches, hasGlobMagic } from './lib/glob';
import { cmdlineParam, grubArgs, splitCmdline } from './lib/kernel-cmdline';
import { newestConfig } from './kernel-config/parse';
import { normalizeModuleName } from './kernel-modules/parse';
import { parseShellVars } from './lib/kv-files';
import { countLoadedProfiles, profileFileMode } from './mac/parse';
import { mountUnitOptions, unescapeMountField } from './mounts/parse';
import { tokenizeNft } from './firewall/parse-nftables';
import { upstreamVersion } from './openssl/parse';
import { canonicalKeyword, tokenizeSshdLine } from './sshd/parse';
import { usePtyDefault } from './sudo/effective';
import { includedirFiles, logicalLines, stripComment } from './sudo/parse';
import { isPlainKey, normalizeSysctlKey, procSysPath } from './sysctl/parse';
import { installKind, templateOf } from './lib/systemd-units';

/**
 * The small pure helpers the collectors build facts with, against random and adversarial
 * input: they return a value of their declared shape and never throw, so one odd line, file
 * name or unit on a host cannot fail a whole collection.
 */

const RUNS = { numRuns: 250 };

const piece = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ unit: 'binary', maxLength: 6 }),
  fc.constantFrom(
    ' ',
    '\t',
    '\n',
    '"',
    '=',
    '[',
    ']',
    '(',
    ')',
    '\\',
    '*',
    '?',
    '!',
    '^',
    '-',
    'z-a',
    '[z-a]',
    '[]',
    '[!]',
    '__proto__',
    'constructor',
    'toString',
    '(enforce)',
    '(complain)',
    '[Install]',
    'WantedBy=',
    'Also=',
    'multi-user.target',
    'flags=(',
    'GRUB_CMDLINE_LINUX=',
    'audit=1',
    '.list',
    ':amd64',
    '/usr',
    '.conf',
  ),
);
const text = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.array(piece, { maxLength: 10 }).map((p) => p.join('')),
        { maxLength: 20 },
      )
      .map((l) => l.join('\n')),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '\n', '\0', '"'.repeat(5_000), 'a '.repeat(20_000), '\\\n'.repeat(1_000)) },
);
const word = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));
const names = fc.array(word, { maxLength: 12 });

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((s) => typeof s === 'string');

describe('collector helpers, property-based', () => {
  it('kernel command line: splitCmdline, grubArgs and cmdlineParam yield strings', () => {
    fc.assert(
      fc.property(text, word, (t, name) => {
        const args = splitCmdline(t);
        expect(isStringArray(args)).toBe(true);
        expect(args).not.toContain('');
        expect(isStringArray(grubArgs(parseShellVars(t)))).toBe(true);
        const value = cmdlineParam(args, name);
        expect(value === null || typeof value === 'string').toBe(true);
      }),
      RUNS,
    );
  });

  it('AppArmor: countLoadedProfiles counts whole numbers per mode, whatever the mode is called', () => {
    fc.assert(
      fc.property(text, (t) => {
        const counts = countLoadedProfiles(t);
        for (const [mode, n] of Object.entries(counts)) {
          expect(typeof mode).toBe('string');
          expect(Number.isInteger(n) && n > 0, `${mode}: ${String(n)}`).toBe(true);
        }
        expect(['enforce', 'complain', 'kill', 'unconfined']).toContain(profileFileMode(t));
      }),
      RUNS,
    );
    const odd = countLoadedProfiles('a (constructor)\nb (__proto__)\nc (toString)\nd (enforce)\ne (enforce)');
    expect(Object.entries(odd)).toEqual([
      ['__proto__', 1],
      ['constructor', 1],
      ['enforce', 2],
      ['toString', 1],
    ]);
  });

  it('systemd: installKind and templateOf', () => {
    fc.assert(
      fc.property(text, word, (t, unit) => {
        expect(['install', 'also', 'none']).toContain(installKind(t));
        expect(typeof templateOf(unit)).toBe('string');
      }),
      RUNS,
    );
  });

  it('dpkg: listHasPath agrees with a line-by-line reading; list file names and path aliases', () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 10 }), word, fc.boolean(), (lines, p, trailing) => {
        const t = lines.join('\n') + (trailing ? '\n' : '');
        const expected = p.length > 0 && !p.includes('\n') && t.split('\n').includes(p);
        if (!p.includes('\n') && p.length > 0) expect(listHasPath(t, p)).toBe(expected);
        else listHasPath(t, p);
        const pkg = packageFromListFile(p);
        expect(pkg === null || typeof pkg === 'string').toBe(true);
        expect(pathAliases(p)).toHaveLength(2);
      }),
      RUNS,
    );
  });

  it('glob: matching never throws, even on malformed character classes', () => {
    fc.assert(
      fc.property(word, word, (pattern, name) => {
        expect(typeof globComponentMatches(pattern, name)).toBe('boolean');
        expect(typeof hasGlobMagic(pattern)).toBe('boolean');
      }),
      RUNS,
    );
  });

  it('file name lists: aptPartFiles, includedirFiles and newestConfig pick from what they are given', () => {
    fc.assert(
      fc.property(names, (list) => {
        for (const picked of [aptPartFiles(list), includedirFiles(list)]) for (const n of picked) expect(list).toContain(n);
        const newest = newestConfig(list);
        if (newest !== null) expect(list).toContain(newest);
      }),
      RUNS,
    );
  });

  it('line helpers of sshd_config, sudoers, sysctl, mounts, nftables and versions', () => {
    fc.assert(
      fc.property(text, word, (t, w) => {
        tokenizeSshdLine(t.split('\n')[0] ?? '');
        expect(typeof canonicalKeyword(w)).toBe('string');
        for (const l of logicalLines(t)) expect(Number.isInteger(l.line) && l.line > 0).toBe(true);
        expect(typeof stripComment(t)).toBe('string');
        expect(typeof normalizeSysctlKey(w)).toBe('string');
        expect(typeof isPlainKey(w)).toBe('boolean');
        if (isPlainKey(w)) expect(procSysPath(w).startsWith('/proc/sys/')).toBe(true);
        expect(typeof unescapeMountField(w)).toBe('string');
        expect(isStringArray(mountUnitOptions(t))).toBe(true);
        expect(isStringArray(tokenizeNft(t))).toBe(true);
        expect(typeof upstreamVersion(w)).toBe('string');
        expect(typeof usePtyDefault(w)).toBe('boolean');
        expect(typeof normalizeModuleName(w)).toBe('string');
        expect(Number.isFinite(naturalCompare(w, t))).toBe(true);
      }),
      RUNS,
    );
  });
});
