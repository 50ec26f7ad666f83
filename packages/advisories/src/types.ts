/** Which distribution's advisory data applies to a host. */
export type Distro = 'debian' | 'ubuntu' | 'rhel';

/** One source package's state for one CVE in one release, as the distribution publishes it. */
export interface Advisory {
  distro: Distro;
  /** Debian/Ubuntu codename (`bookworm`, `jammy`); RHEL family `el<major>` (`el9`). */
  release: string;
  /** Source package name (what the distributions publish advisories against). */
  package: string;
  cve: string;
  /** `fixed`: versions below `fixedVersion` are affected; `open`: every version is; `not_affected`: none is. */
  status: 'fixed' | 'open' | 'not_affected';
  fixedVersion: string | null;
  /** The distribution's own rating: Debian urgency, Ubuntu priority, Red Hat impact. */
  severity: string | null;
}

/** What a feed says about a CVE beyond packages. */
export interface CveRecord {
  cve: string;
  description: string | null;
  /** CVSS base score (v3 preferred) and its vector, when the record carries one. */
  cvss: number | null;
  cvssVector: string | null;
}

export interface EpssScore {
  cve: string;
  epss: number;
  percentile: number;
}

export interface KevEntry {
  cve: string;
  name: string | null;
  dateAdded: string | null;
  dueDate: string | null;
  ransomware: boolean;
}

export type FeedKind = 'debian-tracker' | 'ubuntu-osv' | 'redhat-csaf' | 'epss' | 'kev';

export type ParsedFeed =
  | {
      kind: 'debian-tracker' | 'ubuntu-osv' | 'redhat-csaf';
      distro: Distro;
      version: string | null;
      advisories: Advisory[];
      cves: CveRecord[];
    }
  | { kind: 'epss'; version: string | null; scores: EpssScore[] }
  | { kind: 'kev'; version: string | null; entries: KevEntry[] };

export type FeedErrorCode = 'PLUMBLINE_ERR_FEED_TRUNCATED' | 'PLUMBLINE_ERR_FEED_MALFORMED' | 'PLUMBLINE_ERR_FEED_UNKNOWN';

/** A feed that cannot be used as a whole: nothing of it may be applied. */
export class FeedError extends Error {
  constructor(
    readonly code: FeedErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FeedError';
  }
}
