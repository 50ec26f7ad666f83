import { readCache, writeCache } from '../lib/disk-cache';
import { listDir, statUnderRoot, tryReadText } from '../lib/root-fs';
import { pathAliases, listHasPath, likelyFirst } from './parse-dpkg-lists';

const INFO_DIR = '/var/lib/dpkg/info';

/**
 * Answers already found, per root, valid while dpkg's database is unchanged. Scanning every
 * .list file costs more CPU than the rest of a collection together, and listeners rarely
 * change, so a steady host pays for it once.
 */
const cache = new Map<string, { stamp: string; owners: Map<string, string | null> }>();
/** Bump when the search changes its answers: answers kept on disk carry it in their stamp. */
const DISK_FORMAT = 1;

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
    // The live host's answers are kept on disk too, for the next collecting process.
    const kept = root === '/' ? await readCache<[string, string | null][]>('dpkg-owners', `${DISK_FORMAT}/${stamp}`) : null;
    entry = { stamp, owners: new Map(kept ?? []) };
    cache.set(root, entry);
  }
  const known = entry.owners;
  const todo = [...new Set(paths)].filter((p) => !known.has(p));
  if (todo.length > 0) {
    const found = await scanLists(root, todo);
    for (const p of todo) known.set(p, found.get(p) ?? null);
    if (root === '/') await writeCache('dpkg-owners', `${DISK_FORMAT}/${stamp}`, [...known]);
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
