import type { SysctlFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { listConfFiles } from '../lib/conf-dirs';
import { resolveUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { sortRecord } from '../lib/order';
import { type SysctlLine, procSysPath, parseSysctlConf, mergeSysctl, isPlainKey } from './parse';

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
