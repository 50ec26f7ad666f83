import type { InstalledPackage, RunningKernel } from '@plumbline/protocol/facts';
import { sortPackages } from '../lib/order';

/**
 * `rpm -qa --qf 'NAME\tEPOCH:VERSION-RELEASE\tARCH\tSOURCERPM\n'`; an unset epoch or source prints
 * as (none). The source rpm's file name is `name-version-release.src.rpm`; it carries no epoch,
 * which is the binary's.
 */
export function parseRpmQuery(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of text.split('\n')) {
    const [name, evr, arch, srpm] = line.split('\t');
    if (!name || !evr) continue;
    const version = evr.replace(/^\(none\):/, '');
    const src = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(srpm ?? '');
    const epoch = /^(\d+):/.exec(version)?.[1];
    out.push({
      name,
      version,
      arch: !arch || arch === '(none)' ? null : arch,
      status: 'installed',
      installed: true,
      source: src?.[1] ?? name,
      source_version: src ? `${epoch ? `${epoch}:` : ''}${src[2]}-${src[3]}` : version,
    });
  }
  return sortPackages(out);
}

/** The names a distribution gives the package that holds one kernel image. */
const DPKG_KERNEL = (release: string) => [`linux-image-${release}`, `linux-image-unsigned-${release}`, `linux-modules-${release}`];
const RPM_KERNEL = [
  'kernel-core',
  'kernel',
  'kernel-uek-core',
  'kernel-uek',
  'kernel-rt-core',
  'kernel-rt',
  'kernel-64k-core',
  'kernel-64k',
];

/**
 * The installed package holding the running kernel `release` (`uname -r`). dpkg names it after
 * the release (`linux-image-6.1.0-18-amd64`); rpm installs several `kernel-core` side by side
 * and the running one is the one whose `version-release.arch` is the release.
 */
export function runningKernelPackage(release: string, manager: 'dpkg' | 'rpm', packages: InstalledPackage[]): RunningKernel {
  let hit: InstalledPackage | undefined;
  if (manager === 'dpkg') {
    const byName = new Map(packages.filter((p) => p.installed).map((p) => [p.name, p]));
    hit = DPKG_KERNEL(release)
      .map((n) => byName.get(n))
      .find((p) => p !== undefined);
  } else {
    const plain = (v: string) => v.replace(/^\d+:/, '');
    const candidates = packages.filter(
      (p) => RPM_KERNEL.includes(p.name) && (`${plain(p.version)}.${p.arch}` === release || plain(p.version) === release),
    );
    hit = RPM_KERNEL.map((n) => candidates.find((p) => p.name === n)).find((p) => p !== undefined);
  }
  return { release, package: hit?.name ?? null, version: hit?.version ?? null, source: hit ? (hit.source ?? hit.name) : null };
}
