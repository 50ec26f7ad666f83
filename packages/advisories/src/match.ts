import { compareVersions, type VersionScheme } from '@plumbline/benchmarks/versions';
import type { Advisory, Distro } from './types';

/** What matching needs of a host: its OS and its packages (the `host` and `packages` facts). */
export interface HostInventory {
  os: { id: string | null; id_like?: string[] | null; version_id: string | null; version_codename: string | null } | null;
  packages: { name: string; version: string; installed: boolean; source?: string; source_version?: string }[];
  runningKernel?: { package: string | null } | null;
}

export interface Finding {
  cve: string;
  /** Source package as the advisory names it. */
  source: string;
  /** The installed source version (of the group of binary packages below). */
  installedVersion: string;
  /** Binary packages built from it, sorted. */
  packages: string[];
  fixedVersion: string | null;
  /** `fix_available`: an update fixes it; `no_fix`: the distribution has no fix yet. */
  state: 'fix_available' | 'no_fix';
  /** `running`/`not_running` for kernel packages (only the running kernel counts); null otherwise. */
  kernel: 'running' | 'not_running' | null;
  severity: string | null;
}

const DEBIAN = { '10': 'buster', '11': 'bullseye', '12': 'bookworm', '13': 'trixie', '14': 'forky' } as Record<string, string>;
const UBUNTU = {
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
} as Record<string, string>;
const RHEL_LIKE = new Set(['rhel', 'centos', 'rocky', 'almalinux', 'ol', 'fedora-asahi-remix', 'eurolinux', 'circle']);

/** Which advisory data applies to a host, and under which release name; null when none does. */
export function hostRelease(os: HostInventory['os']): { distro: Distro; release: string } | null {
  if (!os?.id) return null;
  const ids = [os.id, ...(os.id_like ?? [])];
  if (os.id === 'ubuntu') {
    const r = os.version_codename ?? UBUNTU[os.version_id ?? ''];
    return r ? { distro: 'ubuntu', release: r } : null;
  }
  if (os.id === 'debian') {
    const r = os.version_codename ?? DEBIAN[(os.version_id ?? '').split('.')[0] as string];
    return r ? { distro: 'debian', release: r } : null;
  }
  if (ids.some((x) => RHEL_LIKE.has(x)) && os.id !== 'fedora') {
    const major = /^(\d+)/.exec(os.version_id ?? '')?.[1];
    return major ? { distro: 'rhel', release: `el${major}` } : null;
  }
  return null;
}

const SCHEME: Record<Distro, VersionScheme> = { debian: 'deb', ubuntu: 'deb', rhel: 'rpm' };

/**
 * Signed kernel images are built from a wrapper source whose name and version differ from the
 * kernel's own, under which the advisories are filed: Debian `linux-signed-amd64 6.1.76+1` is
 * `linux 6.1.76-1`; Ubuntu `linux-signed-hwe-6.5` is `linux-hwe-6.5` at the same version.
 */
export function advisorySource(distro: Distro, source: string, version: string): { source: string; version: string } {
  if (distro === 'debian' && /^linux-signed-[a-z0-9]+$/.test(source)) {
    const plus = version.lastIndexOf('+');
    return { source: 'linux', version: plus > 0 ? `${version.slice(0, plus)}-${version.slice(plus + 1)}` : version };
  }
  if (distro === 'ubuntu' && /^linux-signed(-|$)/.test(source)) return { source: source.replace(/^linux-signed/, 'linux'), version };
  return { source, version };
}

/** Advisories by distro and release, then by source package; built once per feed version. */
export class AdvisoryIndex {
  private readonly byRelease = new Map<string, Map<string, Advisory[]>>();
  /** (distro, release, source, version) -> the advisories that apply: hosts share versions. */
  private readonly memo = new Map<string, Map<string, Map<string, Advisory[]>>>();

  constructor(advisories: Iterable<Advisory>) {
    for (const a of advisories) {
      if (a.status === 'not_affected') continue;
      const rk = `${a.distro}\u0000${a.release}`;
      let m = this.byRelease.get(rk);
      if (!m) this.byRelease.set(rk, (m = new Map()));
      let list = m.get(a.package);
      if (!list) m.set(a.package, (list = []));
      list.push(a);
    }
  }

  /** The advisories that apply to `source` at `version` in a release (installed < fixed, or open). */
  applicable(distro: Distro, release: string, source: string, version: string): Advisory[] {
    const rk = `${distro}\u0000${release}`;
    const list = this.byRelease.get(rk)?.get(source);
    if (!list) return [];
    let memo = this.memo.get(rk);
    if (!memo) this.memo.set(rk, (memo = new Map()));
    let bySource = memo.get(source);
    if (!bySource) memo.set(source, (bySource = new Map()));
    let hit = bySource.get(version);
    if (!hit) {
      const scheme = SCHEME[distro];
      hit = list.filter((a) => a.status === 'open' || (a.fixedVersion !== null && compareVersions(scheme, version, a.fixedVersion) < 0));
      bySource.set(version, hit);
    }
    return hit;
  }
}

/** Installed packages of one (source, version) and the advisories that apply to it (shared, never mutate). */
export interface MatchGroup {
  source: string;
  installedVersion: string;
  packages: string[];
  kernel: 'running' | 'not_running' | null;
  advisories: Advisory[];
}

/**
 * The advisories that apply to a host, per group of installed binary packages built from one
 * (advisory source, installed source version); each group is matched once. Kernel packages
 * other than the running kernel's group are marked `not_running` (listed, never counted).
 */
export function matchHostGroups(index: AdvisoryIndex, host: HostInventory): MatchGroup[] {
  const rel = hostRelease(host.os);
  if (!rel) return [];
  const out: MatchGroup[] = [];
  for (const g of groupPackages(rel.distro, host)) {
    const advisories = index.applicable(rel.distro, rel.release, g.source, g.version);
    if (advisories.length) out.push({ source: g.source, installedVersion: g.version, packages: g.packages, kernel: g.kernel, advisories });
  }
  return out;
}

/** Every CVE that applies to a host, one finding per (CVE, source, installed version), sorted. */
export function matchHost(index: AdvisoryIndex, host: HostInventory): Finding[] {
  const out: Finding[] = [];
  for (const g of matchHostGroups(index, host)) {
    for (const a of g.advisories) {
      out.push({
        cve: a.cve,
        source: g.source,
        installedVersion: g.installedVersion,
        packages: g.packages,
        fixedVersion: a.status === 'fixed' ? a.fixedVersion : null,
        state: a.status === 'fixed' ? 'fix_available' : 'no_fix',
        kernel: g.kernel,
        severity: a.severity,
      });
    }
  }
  return out.sort((a, b) =>
    a.cve < b.cve
      ? -1
      : a.cve > b.cve
        ? 1
        : a.source < b.source
          ? -1
          : a.source > b.source
            ? 1
            : a.installedVersion < b.installedVersion
              ? -1
              : 1,
  );
}

/**
 * The fleet's inventories reduced to ids of distinct (release, source, version) groups, so that
 * re-matching every host after a feed import is one lookup per group per host: hosts built from
 * the same images share groups, and each distinct group is compared with the advisories once.
 * A host's groups are recomputed only when its packages change (`setHost`).
 */
export class FleetMatcher {
  private readonly groupIds = new Map<string, number>();
  private readonly groups: { distro: Distro; release: string; source: string; version: string }[] = [];
  private readonly hosts = new Map<string, { ids: Int32Array; packages: string[][]; kernel: ('running' | 'not_running' | null)[] }>();

  setHost(id: string, host: HostInventory): void {
    const rel = hostRelease(host.os);
    if (!rel) {
      this.hosts.delete(id);
      return;
    }
    const ids: number[] = [];
    const packages: string[][] = [];
    const kernel: ('running' | 'not_running' | null)[] = [];
    for (const g of groupPackages(rel.distro, host)) {
      const key = `${rel.distro}\u0000${rel.release}\u0000${g.source}\u0000${g.version}`;
      let gid = this.groupIds.get(key);
      if (gid === undefined) {
        gid = this.groups.length;
        this.groups.push({ distro: rel.distro, release: rel.release, source: g.source, version: g.version });
        this.groupIds.set(key, gid);
      }
      ids.push(gid);
      packages.push(g.packages);
      kernel.push(g.kernel);
    }
    this.hosts.set(id, { ids: Int32Array.from(ids), packages, kernel });
  }

  deleteHost(id: string): void {
    this.hosts.delete(id);
  }

  /** Every host's groups with their applicable advisories, against `index`. */
  *matchAll(index: AdvisoryIndex): Generator<[string, MatchGroup[]]> {
    const results: (Advisory[] | undefined)[] = new Array(this.groups.length);
    for (const [id, h] of this.hosts) {
      const out: MatchGroup[] = [];
      for (let i = 0; i < h.ids.length; i++) {
        const gid = h.ids[i] as number;
        let advisories = results[gid];
        if (advisories === undefined) {
          const g = this.groups[gid] as (typeof this.groups)[number];
          advisories = results[gid] = index.applicable(g.distro, g.release, g.source, g.version);
        }
        if (advisories.length) {
          const g = this.groups[gid] as (typeof this.groups)[number];
          out.push({
            source: g.source,
            installedVersion: g.version,
            packages: h.packages[i] as string[],
            kernel: h.kernel[i] ?? null,
            advisories,
          });
        }
      }
      yield [id, out];
    }
  }
}

function groupPackages(
  distro: Distro,
  host: HostInventory,
): { source: string; version: string; packages: string[]; kernel: 'running' | 'not_running' | null }[] {
  const groups = new Map<string, Map<string, string[]>>();
  let kernelSource: string | null = null;
  let kernelVersion: string | null = null;
  const runningPackage = host.runningKernel?.package ?? null;
  for (const p of host.packages) {
    if (!p.installed) continue;
    let source = p.source ?? p.name;
    let version = p.source_version ?? p.version;
    if (source.startsWith('linux-signed')) ({ source, version } = advisorySource(distro, source, version));
    let bySource = groups.get(source);
    if (!bySource) groups.set(source, (bySource = new Map()));
    const g = bySource.get(version);
    if (g) g.push(p.name);
    else bySource.set(version, [p.name]);
    if (runningPackage !== null && p.name === runningPackage) {
      kernelSource = source;
      kernelVersion = version;
    }
  }
  const out: { source: string; version: string; packages: string[]; kernel: 'running' | 'not_running' | null }[] = [];
  for (const [source, byVersion] of groups) {
    for (const [version, packages] of byVersion) {
      const kernel = kernelSource !== null && source === kernelSource ? (version === kernelVersion ? 'running' : 'not_running') : null;
      out.push({ source, version, packages: packages.sort(), kernel });
    }
  }
  return out;
}
