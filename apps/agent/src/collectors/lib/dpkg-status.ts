import type { InstalledPackage } from '@plumbline/protocol/facts';
import { readCache, writeCache } from './disk-cache';
import { sortPackages } from './order';
import { statUnderRoot, tryReadText } from './root-fs';

const DPKG_STATUS = '/var/lib/dpkg/status';

/**
 * The parse of each root's dpkg status file, kept while the file is unchanged. The file is
 * megabytes on a real host and changes only when packages do, while several collectors ask
 * about it every cycle.
 */
const cache = new Map<string, { stamp: string; packages: InstalledPackage[] }>();
/**
 * The live host's parse is also kept on disk (lib/disk-cache.ts): reading it back costs a
 * tenth of parsing the file again (about 50 ms of CPU here) in each new collecting process.
 * Bump the format when parseDpkgStatus changes what it returns.
 */
const DISK_FORMAT = 1;

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
  const onDisk = root === '/' ? `${DISK_FORMAT}/${stamp}` : null;
  const kept = onDisk ? await readCache<InstalledPackage[]>('dpkg-status', onDisk) : null;
  if (kept) {
    cache.set(root, { stamp, packages: kept });
    return kept;
  }
  const text = await tryReadText(root, DPKG_STATUS);
  if (text === null) return null;
  // A copy: the parsed values are slices of the text and would keep all of it alive.
  const packages = JSON.parse(JSON.stringify(parseDpkgStatus(text))) as InstalledPackage[];
  cache.set(root, { stamp, packages });
  if (onDisk) await writeCache('dpkg-status', onDisk, packages);
  return packages;
}

/**
 * dpkg's status database: RFC 822-like stanzas. Every stanza is reported; `installed` is
 * true only when the state (third word of Status) is `installed`, so a package removed
 * with its configuration kept (`deinstall ok config-files`) is not counted, while a held
 * one (`hold ok installed`) is.
 */
export function parseDpkgStatus(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const stanza of text.split(/\r?\n[ \t]*\r?\n/)) {
    const fields: Record<string, string> = {};
    for (const line of stanza.split(/\r?\n/)) {
      const m = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]*(.*)$/.exec(line);
      if (m) fields[(m[1] as string).toLowerCase()] = (m[2] as string).trim();
    }
    const name = fields.package;
    if (!name) continue;
    const status = fields.status ?? 'unknown';
    const depends = relationNames(`${fields.depends ?? ''},${fields['pre-depends'] ?? ''}`);
    const provides = relationNames(fields.provides ?? '');
    const version = fields.version ?? '';
    // `Source: openssl` or `Source: openssl (3.0.11-1~deb12u2)` when the versions differ.
    const src = /^(\S+)(?:\s*\(([^)]+)\))?/.exec(fields.source ?? '');
    out.push({
      name,
      version,
      arch: fields.architecture ?? null,
      status,
      installed: status.split(/\s+/)[2] === 'installed',
      // Only where there are some: most packages of a host would otherwise carry two empty lists.
      ...(depends.length ? { depends } : {}),
      ...(provides.length ? { provides } : {}),
      source: src?.[1] ?? name,
      source_version: src?.[2]?.trim() ?? version,
    });
  }
  return sortPackages(out);
}

/** The package names of a dpkg relationship field: `a (>= 1) | b:any, c [amd64]` -> a, b, c (sorted, once each). */
export function relationNames(field: string): string[] {
  const names = new Set<string>();
  for (const alt of field.split(/[,|]/)) {
    const name = /^\s*([a-z0-9][a-z0-9+.-]*)/i.exec(alt)?.[1];
    if (name) names.add(name.toLowerCase());
  }
  return [...names].sort();
}
