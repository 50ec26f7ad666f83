import path from 'node:path';
import type { DotFile, HomeDirectoriesFact, HomeDirectory } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { parsePasswd } from '../lib/accounts';
import { listDir, readText, statUnderRoot, tryReadText } from '../lib/root-fs';

const modeString = (mode: number) => (mode & 0o7777).toString(8).padStart(4, '0');

/** nologin in any of its places (/usr/sbin/nologin, /sbin/nologin...). */
const NOLOGIN = /\/nologin$/;
/** Without /etc/shells, every shell but these counts as a login shell (sync, shutdown and halt are the programs of those accounts). */
const NO_SHELL = /\/(nologin|false|sync|shutdown|halt)$/;

/** Login shells from /etc/shells (comments and blank lines dropped), or null without the file. */
export function parseShells(text: string | null): Set<string> | null {
  if (text === null) return null;
  return new Set(
    text
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter((l) => l.startsWith('/') && !NOLOGIN.test(l)),
  );
}

/**
 * The homes and dot files of interactive accounts (CIS 7.2.9, 7.2.10): accounts whose shell is a
 * login shell. Only the home itself and the regular files directly in it are read (as CIS's audit
 * does with `find -maxdepth 1 -type f -name '.*'`); nothing is followed out of the tree.
 */
export async function collect(ctx: CollectContext): Promise<HomeDirectoriesFact> {
  const accounts = parsePasswd(await readText(ctx.root, '/etc/passwd'));
  const shellsText = await tryReadText(ctx.root, '/etc/shells').catch(() => null);
  const shells = parseShells(shellsText);
  const interactive = accounts.filter((a) => a.shell && (shells ? shells.has(a.shell) : !NO_SHELL.test(a.shell)));
  const homes: HomeDirectory[] = [];
  const dotFiles: DotFile[] = [];
  for (const a of interactive) {
    const home = a.home || '/';
    // Unreadable is not absent: it stays unknown (null), which no check passes.
    const lst = await statUnderRoot(ctx.root, home, { followLast: false }).catch(() => undefined);
    if (!lst) {
      homes.push({ user: a.name, uid: a.uid, home, exists: lst === undefined, type: null, owned_by_user: null, mode: null });
      continue;
    }
    const st = lst.isSymbolicLink() ? await statUnderRoot(ctx.root, home).catch(() => null) : lst;
    homes.push({
      user: a.name,
      uid: a.uid,
      home,
      exists: true,
      type: lst.isDirectory() ? 'directory' : lst.isSymbolicLink() ? 'symlink' : lst.isFile() ? 'file' : 'other',
      owned_by_user: st ? st.uid === a.uid : null,
      mode: st ? modeString(st.mode) : null,
    });
    if (!st?.isDirectory()) continue;
    // The root account's home is "/" on some images: its dot files are not a user's.
    if (home === '/') continue;
    for (const name of (await listDir(ctx.root, home).catch(() => [] as string[])).filter(
      (n) => n.startsWith('.') && n !== '.' && n !== '..',
    )) {
      const p = path.posix.join(home, name);
      const f = await statUnderRoot(ctx.root, p, { followLast: false }).catch(() => null);
      if (!f?.isFile()) continue;
      dotFiles.push({
        user: a.name,
        path: p,
        name,
        mode: modeString(f.mode),
        owned_by_user: f.uid === a.uid,
        group_is_primary: f.gid === a.gid,
      });
    }
  }
  return { shells_file: shellsText === null ? null : '/etc/shells', homes, dot_files: dotFiles };
}
