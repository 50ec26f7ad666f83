import * as pool from 'node:fs/promises';
import { lstatSync, readFileSync, readdirSync, readlinkSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { CollectorError, fsError } from './errors';
import { globComponentMatches, hasGlobMagic } from './glob';
import { compareBytes } from './order';

/**
 * The five calls every read of the described host goes through. The long-running agent
 * makes them on the thread pool, so its event loop (the connection, the heartbeat) never
 * waits on a disk. `scan` and `facts` have nothing else to serve and call the kernel
 * directly: a pooled call is a hand-off to a pool thread and back, a collection makes
 * about 5,000, and on two cores those hand-offs took a quarter of a scan's wall time.
 */
interface HostIo {
  lstat(p: string): Promise<Stats>;
  stat(p: string): Promise<Stats>;
  readFile(p: string): Promise<Buffer>;
  readdir(p: string): Promise<string[]>;
  readlink(p: string): Promise<string>;
}

const pooled: HostIo = {
  lstat: (p) => pool.lstat(p),
  stat: (p) => pool.stat(p),
  readFile: (p) => pool.readFile(p),
  readdir: (p) => pool.readdir(p),
  readlink: (p) => pool.readlink(p),
};

/** The same calls made synchronously, their answer or error delivered as a settled promise. */
function settled<T>(call: () => T): Promise<T> {
  try {
    return Promise.resolve(call());
  } catch (err) {
    return Promise.reject(err as Error);
  }
}

const direct: HostIo = {
  lstat: (p) => settled(() => lstatSync(p)),
  stat: (p) => settled(() => statSync(p)),
  readFile: (p) => settled(() => readFileSync(p)),
  readdir: (p) => settled(() => readdirSync(p)),
  readlink: (p) => settled(() => readlinkSync(p)),
};

let io = pooled;

/** For one-shot commands: read the host without the thread pool (see HostIo). */
export function readHostDirectly(on = true): void {
  io = on ? direct : pooled;
}

const MAX_SYMLINK_HOPS = 40; // Linux's own limit (MAXSYMLINKS)
/** Config and /proc files are small; a bigger one is a mistake or an attack on the agent. */
const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/**
 * An absolute path that resolving would give back unchanged (no `.`, `..`, empty segment or
 * trailing slash): most of the paths the collectors ask for, a few thousand a collection.
 */
const isPlainAbsolute = (p: string) => /^(?:\/[^/]+)+$/.test(p) && !/\/\.\.?(?:\/|$)/.test(p);

/**
 * Maps a path of the described host to a path on the agent's machine, following symlinks
 * inside the tree as the host would: absolute targets restart at the root and `..` stops
 * at the root, so a tree (or an attacker who controls one) can never make us read outside it.
 */
export async function resolveUnderRoot(root: string, absPath: string, opts: { followLast?: boolean } = {}): Promise<string> {
  const rootAbs = path.resolve(root);
  // The kernel already resolves symlinks relative to '/', and /proc/<pid>/fd links are
  // not paths at all: walking them by hand would only be slower.
  if (rootAbs === '/') return isPlainAbsolute(absPath) ? absPath : path.posix.resolve('/', absPath);
  const followLast = opts.followLast ?? true;
  const pending = absPath.split('/');
  let current: string[] = [];
  let hops = 0;
  while (pending.length > 0) {
    const name = pending.shift() as string;
    if (name === '' || name === '.') continue;
    if (name === '..') {
      current.pop();
      continue;
    }
    const candidate = [...current, name];
    const isLast = pending.every((p) => p === '' || p === '.');
    if (isLast && !followLast) return path.join(rootAbs, ...candidate);
    let st: Stats;
    try {
      st = await io.lstat(path.join(rootAbs, ...candidate));
    } catch {
      // Missing: keep the rest literal (minus any `..`) so the caller gets ENOENT, never a
      // path outside the root.
      const rest = pending.filter((p) => p !== '' && p !== '.' && p !== '..');
      return path.join(rootAbs, ...candidate, ...rest);
    }
    if (!st.isSymbolicLink()) {
      current = candidate;
      continue;
    }
    if (++hops > MAX_SYMLINK_HOPS) {
      throw new CollectorError('PLUMBLINE_ERR_SYMLINK_LOOP', `too many symlinks resolving ${absPath}`, absPath);
    }
    const target = await io.readlink(path.join(rootAbs, ...candidate));
    if (target.startsWith('/')) current = [];
    pending.unshift(...target.split('/'));
  }
  return path.join(rootAbs, ...current);
}

/** Reads a text file of the described host; throws a CollectorError naming the host path. */
export async function readText(root: string, absPath: string): Promise<string> {
  try {
    const buf = await io.readFile(await resolveUnderRoot(root, absPath));
    if (buf.length > MAX_TEXT_BYTES) {
      throw new CollectorError('PLUMBLINE_ERR_PARSE', `${absPath} is larger than ${MAX_TEXT_BYTES} bytes`, absPath);
    }
    return buf.toString('utf8');
  } catch (err) {
    throw fsError(err, absPath);
  }
}

/** Like readText, but an absent file is an ordinary answer (null), not an error. */
export async function tryReadText(root: string, absPath: string): Promise<string | null> {
  try {
    return await readText(root, absPath);
  } catch (err) {
    if (err instanceof CollectorError && err.code === 'PLUMBLINE_ERR_SOURCE_MISSING') return null;
    throw err;
  }
}

/** Entry names of a directory in byte order; an absent directory has none. */
export async function listDir(root: string, absDir: string): Promise<string[]> {
  try {
    const names = await io.readdir(await resolveUnderRoot(root, absDir));
    return names.sort(compareBytes);
  } catch (err) {
    const e = fsError(err, absDir);
    if (e.code === 'PLUMBLINE_ERR_SOURCE_MISSING') return [];
    throw e;
  }
}

/** stat (or lstat) of a host path; null when it does not exist. */
export async function statUnderRoot(root: string, absPath: string, opts: { followLast?: boolean } = {}): Promise<Stats | null> {
  try {
    const p = await resolveUnderRoot(root, absPath, opts);
    return opts.followLast === false ? await io.lstat(p) : await io.stat(p);
  } catch (err) {
    const e = fsError(err, absPath);
    if (e.code === 'PLUMBLINE_ERR_SOURCE_MISSING') return null;
    throw e;
  }
}

/** The target of a symlink as written (not resolved), or null if it is not one. */
export async function readLinkUnderRoot(root: string, absPath: string): Promise<string | null> {
  try {
    return await io.readlink(await resolveUnderRoot(root, absPath, { followLast: false }));
  } catch {
    return null;
  }
}

/**
 * glob(3) over the described host, results in byte order as glob sorts them. A pattern
 * without magic yields itself only if it exists (as GLOB_NOCHECK is not set).
 */
export async function globUnderRoot(root: string, pattern: string): Promise<string[]> {
  const parts = pattern.split('/').filter((p) => p !== '');
  let bases = ['/'];
  for (const part of parts) {
    const next: string[] = [];
    for (const base of bases) {
      if (!hasGlobMagic(part)) {
        next.push(path.posix.join(base, part));
        continue;
      }
      for (const name of await listDir(root, base)) {
        if (globComponentMatches(part, name)) next.push(path.posix.join(base, name));
      }
    }
    bases = next;
  }
  const existing: string[] = [];
  for (const p of bases) if ((await statUnderRoot(root, p)) !== null) existing.push(p);
  return existing.sort(compareBytes);
}
