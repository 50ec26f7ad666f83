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
  return findingsOf(matchHostGroups(index, host));
}

/** Matched groups as findings, one per (CVE, source, installed version), sorted. */
export function findingsOf(groups: Iterable<MatchGroup>): Finding[] {
  const out: Finding[] = [];
  for (const g of groups) {
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

type Kernel = 'running' | 'not_running' | null;
const KERNEL: Kernel[] = [null, 'running', 'not_running'];

/** One host as the matcher keeps it: ids of its groups and of their binary package lists. */
interface HostGroups {
  groups: Int32Array;
  lists: Int32Array;
  /** Index into `groups` and the kernel state (1 running, 2 not running) of its kernel groups, flattened pairs. */
  kernel: number[];
}

/**
 * The fleet's inventories reduced to ids of distinct (release, source, version) groups, so that
 * re-matching every host after a feed import is one lookup per group per host: hosts built from
 * the same images share groups, and each distinct group is compared with the advisories once.
 * Binary package lists are shared between hosts too, so a fleet of similar hosts costs a few
 * bytes per installed source package. A host's groups are recomputed only when its packages
 * change (`setHost`).
 */
export class FleetMatcher {
  /** release key -> source -> version -> group id. */
  private readonly groupIds = new Map<string, Map<string, Map<string, number>>>();
  private readonly groups: { distro: Distro; release: string; source: string; version: string }[] = [];
  /** Distinct binary package lists, and per group the ids of those seen with it. */
  private readonly lists: string[][] = [];
  private readonly listsOfGroup: number[][] = [];
  private readonly hosts = new Map<string, HostGroups>();

  get size(): number {
    return this.hosts.size;
  }

  has(id: string): boolean {
    return this.hosts.has(id);
  }

  /** (Re)computes a host's groups; a host no advisory data applies to is dropped. */
  setHost(id: string, host: HostInventory): void {
    const rel = hostRelease(host.os);
    if (!rel) {
      this.hosts.delete(id);
      return;
    }
    const rk = `${rel.distro}\u0000${rel.release}`;
    let bySource = this.groupIds.get(rk);
    if (!bySource) this.groupIds.set(rk, (bySource = new Map()));
    const found = groupPackages(rel.distro, host);
    const groups = new Int32Array(found.length);
    const lists = new Int32Array(found.length);
    const kernel: number[] = [];
    for (let i = 0; i < found.length; i++) {
      const g = found[i] as (typeof found)[number];
      let byVersion = bySource.get(g.source);
      if (!byVersion) bySource.set(g.source, (byVersion = new Map()));
      let gid = byVersion.get(g.version);
      if (gid === undefined) {
        gid = this.groups.length;
        this.groups.push({ distro: rel.distro, release: rel.release, source: g.source, version: g.version });
        this.listsOfGroup.push([]);
        byVersion.set(g.version, gid);
      }
      groups[i] = gid;
      lists[i] = this.listId(gid, g.packages);
      if (g.kernel) kernel.push(i, g.kernel === 'running' ? 1 : 2);
    }
    this.hosts.set(id, { groups, lists, kernel });
  }

  deleteHost(id: string): void {
    this.hosts.delete(id);
  }

  /** One host's groups with their applicable advisories; [] for a host not held. */
  match(id: string, index: AdvisoryIndex): MatchGroup[] {
    const h = this.hosts.get(id);
    return h ? this.groupsOf(h, (gid) => this.applicable(index, gid)) : [];
  }

  /** Every host's groups with their applicable advisories, against `index`. */
  *matchAll(index: AdvisoryIndex): Generator<[string, MatchGroup[]]> {
    const results: (Advisory[] | undefined)[] = new Array(this.groups.length);
    const lookup = (gid: number) => (results[gid] ??= this.applicable(index, gid));
    for (const [id, h] of this.hosts) yield [id, this.groupsOf(h, lookup)];
  }

  private applicable(index: AdvisoryIndex, gid: number): Advisory[] {
    const g = this.groups[gid] as (typeof this.groups)[number];
    return index.applicable(g.distro, g.release, g.source, g.version);
  }

  private groupsOf(h: HostGroups, lookup: (gid: number) => Advisory[]): MatchGroup[] {
    const out: MatchGroup[] = [];
    let k = 0;
    for (let i = 0; i < h.groups.length; i++) {
      let kernel: Kernel = null;
      while (k < h.kernel.length && (h.kernel[k] as number) < i) k += 2;
      if (h.kernel[k] === i) kernel = KERNEL[h.kernel[k + 1] as number] ?? null;
      const gid = h.groups[i] as number;
      const advisories = lookup(gid);
      if (!advisories.length) continue;
      const g = this.groups[gid] as (typeof this.groups)[number];
      out.push({
        source: g.source,
        installedVersion: g.version,
        packages: this.lists[h.lists[i] as number] as string[],
        kernel,
        advisories,
      });
    }
    return out;
  }

  /** The shared copy of a group's binary package list. */
  private listId(gid: number, packages: string[]): number {
    const seen = this.listsOfGroup[gid] as number[];
    for (const id of seen) {
      const l = this.lists[id] as string[];
      if (l.length === packages.length && l.every((p, j) => p === packages[j])) return id;
    }
    this.lists.push(packages);
    seen.push(this.lists.length - 1);
    return this.lists.length - 1;
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
