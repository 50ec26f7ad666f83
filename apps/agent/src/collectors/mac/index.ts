import path from 'node:path';
import type { MacFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { isInstalled } from '../lib/host-packages';
import { cmdlineParam, readKernelCmdline } from '../lib/kernel-cmdline';
import { parseShellVars } from '../lib/kv-files';
import { listDir, statUnderRoot, tryReadText } from '../lib/root-fs';
import { sortRecord } from '../lib/order';
import { countLoadedProfiles, profileFileMode } from './parse';

const APPARMOR_D = '/etc/apparmor.d';
const SELINUX_CONFIG = '/etc/selinux/config';

async function profileFiles(ctx: CollectContext): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  const disabled = new Set(await listDir(ctx.root, path.posix.join(APPARMOR_D, 'disable')));
  const forced = new Set(await listDir(ctx.root, path.posix.join(APPARMOR_D, 'force-complain')));
  for (const name of await listDir(ctx.root, APPARMOR_D)) {
    // apparmor_parser skips the same backup and packaging leftovers when loading the directory.
    if (name.startsWith('.') || /(~|\.dpkg-\w+|\.rpm\w+)$/.test(name) || name === 'README') continue;
    const file = path.posix.join(APPARMOR_D, name);
    if (!(await statUnderRoot(ctx.root, file).catch(() => null))?.isFile()) continue;
    let mode: string;
    if (disabled.has(name)) mode = 'disabled';
    else if (forced.has(name)) mode = 'complain';
    else mode = profileFileMode((await tryReadText(ctx.root, file).catch(() => null)) ?? '');
    counts[mode] = (counts[mode] ?? 0) + 1;
  }
  return sortRecord(counts);
}

async function selinuxRuntime(ctx: CollectContext): Promise<MacFact['selinux']['runtime_mode']> {
  if (!ctx.live) return null;
  const enforce = await tryReadText(ctx.root, '/sys/fs/selinux/enforce').catch(() => null);
  if (enforce === null) return 'disabled';
  return enforce.trim() === '1' ? 'enforcing' : 'permissive';
}

export async function collect(ctx: CollectContext): Promise<MacFact> {
  const kernel_cmdline = await readKernelCmdline(ctx);
  const args = kernel_cmdline.args;
  let enabled: boolean | null = null;
  let loaded: Record<string, number> | null = null;
  if (ctx.live) {
    const p = await tryReadText(ctx.root, '/sys/module/apparmor/parameters/enabled').catch(() => null);
    enabled = p !== null && p.trim() === 'Y';
    const profiles = await tryReadText(ctx.root, '/sys/kernel/security/apparmor/profiles').catch(() => null);
    loaded = profiles === null ? null : countLoadedProfiles(profiles);
  }
  const configText = await tryReadText(ctx.root, SELINUX_CONFIG).catch(() => null);
  const config = parseShellVars(configText ?? '');
  return {
    apparmor: {
      installed: await isInstalled(ctx, { packages: ['apparmor'], paths: ['/sbin/apparmor_parser', '/usr/sbin/apparmor_parser'] }),
      enabled,
      loaded_profiles: loaded,
      profile_files: await profileFiles(ctx),
      kernel_param: cmdlineParam(args, 'apparmor'),
    },
    selinux: {
      config_file: configText === null ? null : SELINUX_CONFIG,
      mode: config.SELINUX?.value ?? null,
      mode_line: config.SELINUX?.line ?? null,
      policy_type: config.SELINUXTYPE?.value ?? null,
      policy_type_line: config.SELINUXTYPE?.line ?? null,
      runtime_mode: await selinuxRuntime(ctx),
      kernel_param: cmdlineParam(args, 'selinux'),
      enforcing_param: cmdlineParam(args, 'enforcing'),
    },
    kernel_cmdline,
  };
}
