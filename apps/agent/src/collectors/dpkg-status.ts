import type { InstalledPackage } from '@plumbline/protocol/facts';
import { parseDpkgStatus } from './packages';
import { statUnderRoot, tryReadText } from './root-fs';

const DPKG_STATUS = '/var/lib/dpkg/status';

/**
 * The parse of each root's dpkg status file, kept while the file is unchanged. The file is
 * megabytes on a real host and changes only when packages do, while several collectors ask
 * about it every cycle.
 */
const cache = new Map<string, { stamp: string; packages: InstalledPackage[] }>();

/** Every stanza of dpkg's status database under `root`, or null when there is none. */
export async function dpkgPackages(root: string): Promise<InstalledPackage[] | null> {
  const st = await statUnderRoot(root, DPKG_STATUS);
  if (!st) {
    cache.delete(root);
    return null;
  }
  // dpkg replaces the file by rename (a new inode); an edit in place moves mtime and ctime.
  const stamp = `${st.ino}/${st.size}/${st.mtimeMs}/${st.ctimeMs}`;
  const hit = cache.get(root);
  if (hit?.stamp === stamp) return hit.packages;
  const text = await tryReadText(root, DPKG_STATUS);
  if (text === null) return null;
  // A copy: the parsed values are slices of the text and would keep all of it alive.
  const packages = JSON.parse(JSON.stringify(parseDpkgStatus(text))) as InstalledPackage[];
  cache.set(root, { stamp, packages });
  return packages;
}
