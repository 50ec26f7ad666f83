import type { Stats } from 'node:fs';
import path from 'node:path';
import type { FileMetadata, FilesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { compareBytes, sortRecord } from '../lib/order';
import { globUnderRoot, listDir, readLinkUnderRoot, statUnderRoot, tryReadText } from '../lib/root-fs';
import { parseGroup, parsePasswd } from '../lib/accounts';

/** Paths CIS-style benchmarks check the ownership and mode of. */
export const SENSITIVE_PATHS = [
  ...['passwd', 'shadow', 'group', 'gshadow'].flatMap((f) => [`/etc/${f}`, `/etc/${f}-`]),
  '/etc/ssh/sshd_config',
  '/etc/ssh/sshd_config.d',
  '/etc/crontab',
  ...['hourly', 'daily', 'weekly', 'monthly', 'd'].map((c) => `/etc/cron.${c}`),
  '/etc/cron.allow',
  '/etc/cron.deny',
  '/etc/at.allow',
  '/etc/at.deny',
  '/boot/grub/grub.cfg',
  '/boot/grub2/grub.cfg',
  '/etc/sudoers',
  '/etc/sudoers.d',
  '/etc/issue',
  '/etc/issue.net',
  '/etc/motd',
];
/** Directories whose every entry is checked too. */
const EXPAND_DIRS = ['/etc/ssh/sshd_config.d', '/etc/sudoers.d'];
const HOST_KEY_GLOBS = ['/etc/ssh/ssh_host_*_key', '/etc/ssh/ssh_host_*_key.pub'];

export function modeString(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function typeOf(st: Stats): NonNullable<FileMetadata['type']> {
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'directory';
  if (st.isSymbolicLink()) return 'symlink';
  return 'other';
}

const ABSENT: FileMetadata = { exists: false, type: null, link_target: null, uid: null, owner: null, gid: null, group: null, mode: null };

export async function collect(ctx: CollectContext): Promise<FilesFact> {
  const paths = new Set(SENSITIVE_PATHS);
  for (const dir of EXPAND_DIRS) for (const name of await listDir(ctx.root, dir)) paths.add(path.posix.join(dir, name));
  for (const g of HOST_KEY_GLOBS) for (const p of await globUnderRoot(ctx.root, g)) paths.add(p);
  // Names come from the described host's own databases: uid 0 may not be "root" in every tree.
  const users = new Map(parsePasswd((await tryReadText(ctx.root, '/etc/passwd').catch(() => null)) ?? '').map((u) => [u.uid, u.name]));
  const groups = new Map(parseGroup((await tryReadText(ctx.root, '/etc/group').catch(() => null)) ?? '').map((g) => [g.gid, g.name]));
  const out: FilesFact = {};
  for (const p of [...paths].sort(compareBytes)) {
    const lst = await statUnderRoot(ctx.root, p, { followLast: false }).catch(() => null);
    if (!lst) {
      out[p] = ABSENT;
      continue;
    }
    const link = lst.isSymbolicLink() ? await readLinkUnderRoot(ctx.root, p) : null;
    // A dangling link exists, but has no owner or mode worth judging.
    const st = lst.isSymbolicLink() ? ((await statUnderRoot(ctx.root, p).catch(() => null)) ?? lst) : lst;
    out[p] = {
      exists: true,
      type: typeOf(lst),
      link_target: link,
      uid: st.uid,
      owner: users.get(st.uid) ?? null,
      gid: st.gid,
      group: groups.get(st.gid) ?? null,
      mode: modeString(st.mode),
    };
  }
  return sortRecord(out);
}
