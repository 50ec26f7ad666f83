import path from 'node:path';
import type { SysctlFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { listConfFiles } from '../lib/conf-dirs';
import { resolveUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { sortRecord } from '../lib/order';

/** Directory priority as systemd-sysctl reads them; /etc/sysctl.conf comes after all. */
export const SYSCTL_DIRS = ['/etc/sysctl.d', '/run/sysctl.d', '/usr/local/lib/sysctl.d', '/usr/lib/sysctl.d', '/lib/sysctl.d'];
const SYSCTL_CONF = '/etc/sysctl.conf';

/** Parameters rules need even when no file sets them. */
export const SECURITY_KEYS = [
  'net.ipv4.ip_forward',
  ...['all', 'default'].flatMap((s) =>
    ['send_redirects', 'accept_redirects', 'secure_redirects', 'accept_source_route', 'rp_filter', 'log_martians'].map(
      (k) => `net.ipv4.conf.${s}.${k}`,
    ),
  ),
  'net.ipv4.icmp_echo_ignore_broadcasts',
  'net.ipv4.icmp_ignore_bogus_error_responses',
  'net.ipv4.tcp_syncookies',
  ...['all', 'default'].flatMap((s) =>
    ['accept_ra', 'accept_redirects', 'accept_source_route', 'forwarding'].map((k) => `net.ipv6.conf.${s}.${k}`),
  ),
  'kernel.randomize_va_space',
  'kernel.yama.ptrace_scope',
  'fs.suid_dumpable',
  'kernel.sysrq',
  'kernel.dmesg_restrict',
  'kernel.kptr_restrict',
  'fs.protected_symlinks',
  'fs.protected_hardlinks',
  'fs.protected_fifos',
  'fs.protected_regular',
  'net.ipv4.tcp_timestamps',
];

export interface SysctlLine {
  key: string;
  value: string;
  line: number;
}

/**
 * Slash-form keys (`net/ipv4/ip_forward`) become dot form; a dot inside a slash-form
 * component (a VLAN like `eth0.1`) becomes `/`, as sysctl(8) writes it.
 */
export function normalizeSysctlKey(key: string): string {
  if (!key.includes('/')) return key;
  return key.replace(/^\/+/, '').replace(/[./]/g, (c) => (c === '/' ? '.' : '/'));
}

/** The /proc/sys path of a dot-form key (the inverse of normalizeSysctlKey). */
export function procSysPath(key: string): string {
  return `/proc/sys/${key.replace(/[./]/g, (c) => (c === '.' ? '/' : '.'))}`;
}

/**
 * sysctl.d(5): `key = value`, comments start with # or ;. A leading `-` only says "ignore
 * a failure to set it", so it is stripped. `-key` without a value excludes the key from an
 * earlier glob and sets nothing.
 */
export function parseSysctlConf(text: string): { assignments: SysctlLine[]; warnings: string[] } {
  const assignments: SysctlLine[] = [];
  const warnings: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const eq = line.indexOf('=');
    if (eq === -1) {
      if (!line.startsWith('-')) warnings.push(`line ${i + 1}: no '=' in "${line.slice(0, 80)}"`);
      return;
    }
    const key = normalizeSysctlKey(line.slice(0, eq).trim().replace(/^-/, '').trim());
    if (key === '') {
      warnings.push(`line ${i + 1}: empty key`);
      return;
    }
    assignments.push({ key, value: line.slice(eq + 1).trim().replace(/\s+/g, ' '), line: i + 1 });
  });
  return { assignments, warnings };
}

/** Applies files in order: the last assignment of a key wins and keeps the earlier ones as overridden. */
export function mergeSysctl(files: { file: string; assignments: SysctlLine[] }[]): SysctlFact['persisted'] {
  const out: SysctlFact['persisted'] = {};
  for (const { file, assignments } of files) {
    for (const a of assignments) {
      const prev = out[a.key];
      const overridden = prev ? [...prev.overridden, { file: prev.file, line: prev.line, value: prev.value }] : [];
      out[a.key] = { value: a.value, file, line: a.line, overridden };
    }
  }
  return sortRecord(out);
}

/**
 * A key we may turn into a /proc/sys path: no globs, and no empty or dot-only components,
 * so a crafted sysctl.d line cannot make us read (and report) a file outside /proc/sys.
 */
export function isPlainKey(key: string): boolean {
  const p = procSysPath(key);
  return !/[*?[]/.test(key) && path.posix.normalize(p) === p && !p.endsWith('/') && !p.split('/').includes('..');
}

export async function collect(ctx: CollectContext): Promise<SysctlFact> {
  const set = await listConfFiles(ctx.root, SYSCTL_DIRS);
  // Debian links /etc/sysctl.d/99-sysctl.conf to /etc/sysctl.conf: apply that file once.
  const seen = new Set(await Promise.all(set.files.map((f) => resolveUnderRoot(ctx.root, f))));
  const ordered = [...set.files];
  if (!seen.has(await resolveUnderRoot(ctx.root, SYSCTL_CONF))) ordered.push(SYSCTL_CONF);
  const warnings: string[] = [];
  const parsed: { file: string; assignments: SysctlLine[] }[] = [];
  for (const file of ordered) {
    const text = await tryReadText(ctx.root, file).catch((err: Error) => {
      warnings.push(`${file}: ${err.message}`);
      return null;
    });
    if (text === null) continue;
    const { assignments, warnings: w } = parseSysctlConf(text);
    parsed.push({ file, assignments });
    warnings.push(...w.map((m) => `${file}: ${m}`));
  }
  const persisted = mergeSysctl(parsed);
  return {
    runtime: await readRuntime(ctx, Object.keys(persisted)),
    persisted,
    files: parsed.map((p) => p.file),
    masked_files: set.masked,
    warnings,
  };
}

async function readRuntime(ctx: CollectContext, persistedKeys: string[]): Promise<SysctlFact['runtime']> {
  if (!ctx.live && (await statUnderRoot(ctx.root, '/proc/sys')) === null) return null;
  const keys = [...new Set([...persistedKeys.filter(isPlainKey), ...SECURITY_KEYS])];
  const runtime: NonNullable<SysctlFact['runtime']> = {};
  await Promise.all(
    keys.map(async (key) => {
      const source = procSysPath(key);
      // Write-only parameters (e.g. vm.drop_caches) and absent ones are simply not reported.
      const text = await tryReadText(ctx.root, source).catch(() => null);
      if (text !== null) runtime[key] = { value: text.trim().replace(/\s+/g, ' '), source };
    }),
  );
  return sortRecord(runtime);
}
