import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * File access for the state directory. The agent runs as root, so a symlink planted in its
 * state directory could make it write a credential into any file, or read any file as one:
 * nothing here follows a symlink, and a temp file is always a new file of our own.
 */

const { O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK, O_RDONLY, O_WRONLY, O_DIRECTORY } = constants;

/** A state directory (or one under it) the agent must not use; the message says why and what to do. */
export class UnsafeStateDirError extends Error {}

/** Why a file could not be read, for the log and for moving it aside. */
export type ReadFailure = 'symlink' | 'not a regular file' | 'too large' | 'unreadable';

export type SafeRead =
  { ok: true; text: string; mode: number } | { ok: false; missing: true } | { ok: false; missing: false; why: ReadFailure };

/**
 * Reads a regular file without following a symlink at its name. O_NONBLOCK keeps a FIFO
 * planted under the name from blocking the open; fstat then refuses it.
 */
export async function readSafely(file: string, maxBytes: number): Promise<SafeRead> {
  let fh;
  try {
    fh = await open(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { ok: false, missing: true };
    return { ok: false, missing: false, why: code === 'ELOOP' ? 'symlink' : 'unreadable' };
  }
  try {
    const s = await fh.stat();
    if (!s.isFile()) return { ok: false, missing: false, why: 'not a regular file' };
    if (s.size > maxBytes) return { ok: false, missing: false, why: 'too large' };
    return { ok: true, text: await fh.readFile('utf8'), mode: s.mode };
  } catch {
    return { ok: false, missing: false, why: 'unreadable' };
  } finally {
    await fh.close();
  }
}

/**
 * Replaces `file` with `data`, mode 0600 from the start: the data goes to a new temp file
 * (O_EXCL: never an existing file or link) that is then renamed over `file` (rename replaces
 * a link at `file` itself, never its target). A reader never sees half a file.
 */
export async function writeSafely(file: string, data: string | Buffer, mode = 0o600): Promise<void> {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode);
  try {
    await fh.writeFile(data);
    await fh.chmod(mode);
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** Temp files left by a crash mid-write (ours are `.NAME.HEX.tmp`); unlink never follows a link. */
export async function removeStaleTemps(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.endsWith('.tmp')) await rm(path.join(dir, name), { force: true });
  }
}

/**
 * Makes sure `dir` exists as a directory of this user that no one else may write to, and
 * tightens it to 0700. A symlink, a directory of another user, or one that group or others
 * may write to is refused: the agent would otherwise read and write through someone else's
 * choices (the mode is changed through a descriptor opened without following links).
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  await mkdir(dir, { mode: 0o700 }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  const s = await lstat(dir);
  if (s.isSymbolicLink())
    throw new UnsafeStateDirError(`state directory ${dir} is a symlink: refusing to use it (point --state-dir at the real directory)`);
  if (!s.isDirectory()) throw new UnsafeStateDirError(`state directory ${dir} is not a directory`);
  const uid = process.getuid?.();
  if (uid !== undefined && s.uid !== uid)
    throw new UnsafeStateDirError(`state directory ${dir} belongs to uid ${s.uid}, not to this agent (uid ${uid}): refusing to use it`);
  if (s.mode & 0o022) {
    throw new UnsafeStateDirError(
      `state directory ${dir} is writable by ${s.mode & 0o020 ? 'its group' : 'others'} (mode ${(s.mode & 0o777).toString(8)}): refusing to use it; chmod 700 ${dir}`,
    );
  }
  const fh = await open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
  try {
    await fh.chmod(0o700);
  } finally {
    await fh.close();
  }
}

/**
 * Moves a file that cannot be used into `<quarantine>/`, under a name that says when, so it
 * stops the agent no longer and stays for someone to look at. Keeps the newest `keep` files
 * there, so a failing disk cannot fill it. Returns where it went (null: it is gone already).
 */
export async function quarantine(file: string, quarantineDir: string, keep = 50): Promise<string | null> {
  await ensurePrivateDir(quarantineDir);
  const dest = path.join(
    quarantineDir,
    `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}-${path.basename(file)}`,
  );
  try {
    await rename(file, dest);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    // Another filesystem or a name we cannot move: remove it rather than be stopped by it.
    await rm(file, { force: true, recursive: true });
    return null;
  }
  const names = (await readdir(quarantineDir)).sort();
  for (const old of names.slice(0, Math.max(0, names.length - keep)))
    await rm(path.join(quarantineDir, old), { force: true, recursive: true });
  return dest;
}
