import type { InstalledPackage, PackagesFact } from '@plumbline/protocol/facts';
import type { CollectContext } from './context';
import { runCommand } from './exec';
import { dpkgPackages } from './dpkg-status';
import { statUnderRoot } from './root-fs';

const RPM_DBS = ['/var/lib/rpm', '/usr/lib/sysimage/rpm'];
const RPM_FORMAT = '%{NAME}\\t%{EPOCH}:%{VERSION}-%{RELEASE}\\t%{ARCH}\\n';

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
    out.push({
      name,
      version: fields.version ?? '',
      arch: fields.architecture ?? null,
      status,
      installed: status.split(/\s+/)[2] === 'installed',
    });
  }
  return sortPackages(out);
}

/** `rpm -qa --qf 'NAME\tEPOCH:VERSION-RELEASE\tARCH\n'`; an unset epoch prints as (none). */
export function parseRpmQuery(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of text.split('\n')) {
    const [name, evr, arch] = line.split('\t');
    if (!name || !evr) continue;
    out.push({
      name,
      version: evr.replace(/^\(none\):/, ''),
      arch: !arch || arch === '(none)' ? null : arch,
      status: 'installed',
      installed: true,
    });
  }
  return sortPackages(out);
}

function sortPackages(pkgs: InstalledPackage[]): InstalledPackage[] {
  const key = (p: InstalledPackage) => `${p.name}\u0000${p.arch ?? ''}\u0000${p.version}`;
  return pkgs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

export async function collect(ctx: CollectContext): Promise<PackagesFact> {
  const dpkg = await dpkgPackages(ctx.root);
  if (dpkg !== null) return { manager: 'dpkg', available: true, reason: null, packages: dpkg };
  let hasRpm = false;
  for (const db of RPM_DBS) if ((await statUnderRoot(ctx.root, db)) !== null) hasRpm = true;
  if (!hasRpm) return { manager: null, available: false, reason: 'no dpkg or rpm database found', packages: [] };
  if (!ctx.live) {
    // The rpm database is a binary (sqlite or Berkeley DB) file only rpm itself should read.
    return { manager: 'rpm', available: false, reason: 'rpm database is only read on a live host', packages: [] };
  }
  const res = await runCommand('rpm', ['-qa', '--qf', RPM_FORMAT], { timeoutMs: 30_000 });
  if (res.code !== 0) {
    return { manager: 'rpm', available: false, reason: `rpm -qa exited ${res.code}: ${res.stderr.trim().slice(0, 200)}`, packages: [] };
  }
  return { manager: 'rpm', available: true, reason: null, packages: parseRpmQuery(res.stdout) };
}
