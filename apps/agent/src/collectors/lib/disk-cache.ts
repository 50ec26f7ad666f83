import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Answers that are costly to work out and change rarely, kept on disk next to the state they
 * were worked out from (a stamp of that state's files). `plumbline-agent run` collects in a
 * new helper process every cycle, and `scan` and `facts` are new processes too: without the
 * disk, each would work them out again. The directory is the agent's own
 * ($PLUMBLINE_CACHE_DIR, /var/cache/plumbline under the service); a cache is only ever a
 * shortcut, and an unreadable or unwritable one only costs time.
 */

/** $PLUMBLINE_CACHE_DIR, else /var/cache/plumbline for root, else ~/.cache/plumbline. */
function cacheFile(name: string): string {
  const dir =
    process.env.PLUMBLINE_CACHE_DIR ??
    (process.getuid?.() === 0
      ? '/var/cache/plumbline'
      : path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'plumbline'));
  return path.join(dir, `${name}.json`);
}

/** The value kept under `name` for exactly this `stamp`, or null. */
export async function readCache<T>(name: string, stamp: string): Promise<T | null> {
  try {
    const v = JSON.parse(await readFile(cacheFile(name), 'utf8')) as { stamp?: unknown; value?: T };
    return v.stamp === stamp && v.value !== undefined ? v.value : null;
  } catch {
    return null;
  }
}

export async function writeCache(name: string, stamp: string, value: unknown): Promise<void> {
  const file = cacheFile(name);
  // A temp file of this process's own: a scan and the agent may write at the same time.
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(tmp, JSON.stringify({ stamp, value }), { mode: 0o600 });
    await rename(tmp, file);
  } catch {
    // A read-only cache directory only costs time on the next run.
  }
}
