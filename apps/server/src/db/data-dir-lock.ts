import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { AppError, ErrorCode } from '../errors';

/**
 * PGlite has no locking of its own: two processes on one data directory would corrupt it.
 * A lock file holding the owner's pid keeps a second one out; a lock left by a dead
 * process is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, 'plumbline.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new AppError(
          ErrorCode.dbLocked,
          `the embedded database in ${dataDir} is in use by process ${owner}; stop it first, or use PostgreSQL (DATABASE_URL)`,
        );
      }
      await rm(file, { force: true });
    }
  }
  throw new AppError(ErrorCode.dbLocked, `could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
