import { listDir, statUnderRoot, tryReadText } from '../lib/root-fs';

const INFO_DIR = '/var/lib/dpkg/info';

/**
 * With merged /usr, a binary runs as /usr/sbin/x while its package may list /sbin/x (or the
 * reverse), so both spellings are looked up.
 */
export function pathAliases(p: string): string[] {
  if (p.startsWith('/usr/')) return [p, p.slice(4)];
  return [p, `/usr${p}`];
}

/** `openssh-server.list` or multi-arch `libc6:amd64.list` to the package name. */
export function packageFromListFile(name: string): string | null {
  const m = /^([^:]+)(?::[^.]+)?\.list$/.exec(name);
  return m ? (m[1] as string) : null;
}

/** Whether a dpkg .list text has `p` as one of its lines. */
export function listHasPath(text: string, p: string): boolean {
  return text.startsWith(`${p}\n`) || text.includes(`\n${p}\n`) || text.endsWith(`\n${p}`);
}

/**
 * Answers already found, per root, valid while dpkg's database is unchanged. Scanning every
 * .list file costs more CPU than the rest of a collection together, and listeners rarely
 * change, so a steady host pays for it once.
 */
const cache = new Map<string, { stamp: string; owners: Map<string, string | null> }>();

async function databaseStamp(root: string): Promise<string> {
  const info = await statUnderRoot(root, INFO_DIR).catch(() => null);
  const status = await statUnderRoot(root, '/var/lib/dpkg/status').catch(() => null);
  return `${info?.mtimeMs ?? 0}/${status?.mtimeMs ?? 0}/${status?.size ?? 0}`;
}

/**
 * Which dpkg package ships each path, from /var/lib/dpkg/info/*.list. Only the wanted
 * paths are remembered (as found or not found), so memory stays small on big hosts.
 */
export async function dpkgOwners(root: string, paths: Iterable<string>): Promise<Map<string, string>> {
  const stamp = await databaseStamp(root);
  let entry = cache.get(root);
  if (!entry || entry.stamp !== stamp) {
    entry = { stamp, owners: new Map() };
    cache.set(root, entry);
  }
  const known = entry.owners;
  const todo = [...new Set(paths)].filter((p) => !known.has(p));
  if (todo.length > 0) {
    const found = await scanLists(root, todo);
    for (const p of todo) known.set(p, found.get(p) ?? null);
  }
  const out = new Map<string, string>();
  for (const p of paths) {
    const pkg = known.get(p);
    if (pkg) out.set(p, pkg);
  }
  return out;
}

/** Lists read ahead of the one being searched: page-cached reads overlap, the order of answers does not change. */
const READ_AHEAD = 8;

/**
 * Reads .list files until every wanted path is found: first the lists of packages whose
 * names share a word with a wanted path (postgresql-15 for /usr/lib/postgresql/15/bin/postgres),
 * then the rest in byte order. A cold lookup on a host with a thousand packages used to read
 * most of 8 MB of lists; now it usually stops after a few. A path no package ships still
 * costs every list once (then the cache knows).
 */
async function scanLists(root: string, todo: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const lists = (await listDir(root, INFO_DIR).catch(() => [] as string[])).filter((n) => n.endsWith('.list'));
  const order = likelyFirst(lists, todo);
  const reads: (Promise<string | null> | undefined)[] = [];
  const read = (i: number) => {
    if (i < order.length) reads[i] = tryReadText(root, `${INFO_DIR}/${order[i]!.list}`).catch(() => null);
  };
  for (let i = 0; i < READ_AHEAD; i++) read(i);
  for (let i = 0; i < order.length && found.size < todo.length; i++) {
    read(i + READ_AHEAD);
    const text = await reads[i];
    reads[i] = undefined;
    if (!text) continue;
    const { pkg } = order[i]!;
    for (const p of todo) {
      if (!found.has(p) && pathAliases(p).some((alias) => listHasPath(text, alias))) found.set(p, pkg);
    }
  }
  return found;
}

/** Words too common in paths and package names to tie one to the other. */
const COMMON_WORDS = new Set(['bin', 'sbin', 'lib', 'libexec', 'usr', 'share', 'server', 'client', 'common', 'core', 'base', 'data', 'tools', 'utils', 'daemon']);

/** The lowercase words of a path or package name, three letters or longer, digits and punctuation dropped. */
export function nameWords(s: string): string[] {
  return s
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((w) => w.length >= 3 && !COMMON_WORDS.has(w));
}

/**
 * Package lists in search order: those whose package name shares a word with a wanted path
 * (one word the start of the other: mariadb and mariadbd, postgres and postgresql), then
 * the others, each group in byte order.
 */
export function likelyFirst(lists: string[], paths: string[]): { list: string; pkg: string }[] {
  const pathWords = [...new Set(paths.flatMap(nameWords))];
  const likely: { list: string; pkg: string }[] = [];
  const rest: { list: string; pkg: string }[] = [];
  for (const list of lists) {
    const pkg = packageFromListFile(list);
    if (!pkg) continue;
    const related = nameWords(pkg).some((w) => pathWords.some((v) => v.startsWith(w) || w.startsWith(v)));
    (related ? likely : rest).push({ list, pkg });
  }
  return [...likely, ...rest];
}
