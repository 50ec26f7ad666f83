import type { MountsFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { statUnderRoot, tryReadText } from '../lib/root-fs';
import { unitFileState } from '../lib/systemd-units';
import { parseMountTable, mountUnitOptions, describePath } from './parse';

export const MOUNT_PATHS = ['/tmp', '/dev/shm', '/var/tmp', '/home', '/var', '/var/log', '/var/log/audit'];
const FSTAB = '/etc/fstab';
const PROC_MOUNTS = '/proc/mounts';

async function tmpMountUnit(ctx: CollectContext): Promise<MountsFact['tmp_mount']> {
  const state = await unitFileState(ctx.root, 'tmp.mount');
  if (!state) return null;
  const vendorWants = ['/usr/lib/systemd/system', '/lib/systemd/system'].map((d) => `${d}/local-fs.target.wants/tmp.mount`);
  let wanted = false;
  for (const w of vendorWants) if ((await statUnderRoot(ctx.root, w, { followLast: false }).catch(() => null)) !== null) wanted = true;
  return {
    file: state.file,
    enabled_state: state.enabled_state,
    wanted_by_vendor: wanted && !state.enabled_state.startsWith('masked'),
    options: mountUnitOptions((await tryReadText(ctx.root, state.file).catch(() => null)) ?? ''),
  };
}

export async function collect(ctx: CollectContext): Promise<MountsFact> {
  // Live, read init's view: under the service unit the agent's own /proc/mounts shows its
  // private, read-only sandbox rather than the host's mounts.
  const source = ctx.live ? '/proc/1/mounts' : PROC_MOUNTS;
  const procText =
    (await tryReadText(ctx.root, source).catch(() => null)) ??
    (ctx.live ? await tryReadText(ctx.root, PROC_MOUNTS).catch(() => null) : null);
  const mounted = procText === null ? null : parseMountTable(procText, PROC_MOUNTS).map(({ dump: _d, pass: _p, ...m }) => m);
  const fstab = parseMountTable((await tryReadText(ctx.root, FSTAB).catch(() => null)) ?? '', FSTAB);
  const tmp_mount = await tmpMountUnit(ctx);
  const paths = Object.fromEntries(MOUNT_PATHS.map((p) => [p, describePath(p, mounted, fstab, tmp_mount)]));
  return { mounted, fstab, paths, tmp_mount };
}
