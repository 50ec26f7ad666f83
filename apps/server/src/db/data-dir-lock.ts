import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors';

/**
 * PGlite has no locking of its own: two processes on one data directory would corrupt it.
 * A lock file holding the owner's pid keeps a second one out; a lock left by a dead
 * process is taken over.
 */
/** Directories this process holds: a second open from the same process is refused too. */
const held = new Set<string>();

export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'plumbline.lock');
  if (held.has(file)) throw inUse(dataDir, process.pid);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      held.add(file);
      return async () => {
        held.delete(file);
        await rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) throw inUse(dataDir, owner);
      await rm(file, { force: true });
    }
  }
  throw new AppError(ErrorCode.dbLocked, `could not lock ${file}`);
}

function inUse(dataDir: string, pid: number): AppError {
  return new AppError(
    ErrorCode.dbLocked,
    `the embedded database in ${dataDir} is in use by process ${pid}; stop it first, or use PostgreSQL (DATABASE_URL)`,
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
