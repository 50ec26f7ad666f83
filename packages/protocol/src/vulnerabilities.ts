import { z } from 'zod';
import { AppliedWaiver } from './api';

/** Known vulnerabilities: API payloads of /api/v1/vulnerabilities (by CVE), /api/v1/vulnerabilities/packages (by source package) and /api/v1/hosts/:id/vulnerabilities. */

/** A CVE id, or a Debian tracker TEMP- id (an issue with no CVE assigned yet): what a finding is named by and a waiver may target. */
export const VULNERABILITY_ID = /^(CVE-\d{4}-\d{4,}|TEMP-\d{7}-[0-9A-F]{6})$/i;

export const FeedKind = z.enum(['debian-tracker', 'ubuntu-osv', 'redhat-csaf', 'epss', 'kev']);
export type FeedKind = z.infer<typeof FeedKind>;

/** How reachable the vulnerable package is: most reachable first. */
export const Exposure = z.enum(['network', 'service', 'installed', 'not_running']);
export type Exposure = z.infer<typeof Exposure>;
export const FindingState = z.enum(['fix_available', 'no_fix']);
export type FindingState = z.infer<typeof FindingState>;
export const PriorityBand = z.enum(['critical', 'high', 'medium', 'low']);
export type PriorityBand = z.infer<typeof PriorityBand>;

export const FeedStatus = z.object({
  kind: FeedKind,
  version: z.string().nullable(),
  records: z.number().int(),
  origin: z.string(),
  importedAt: z.string(),
});
export type FeedStatus = z.infer<typeof FeedStatus>;

/** A page of a fleet-wide view, with the advisory feeds it was matched against. */
const fleetPage = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number().int(), feeds: z.array(FeedStatus) });

const Bool = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Filters shared by the fleet and the host lists; every one is optional and they combine. */
export const VulnerabilityFilters = z.object({
  cve: z.string().trim().max(64).optional(),
  package: z.string().trim().max(200).optional(),
  exposure: Exposure.optional(),
  state: FindingState.optional(),
  band: PriorityBand.optional(),
  kev: Bool.optional(),
  /** Include kernels that are installed but not running (listed, never counted otherwise). */
  notRunning: Bool.optional(),
  /** `false`: leave out findings a waiver in force covers; `true`: only those. */
  waived: Bool.optional(),
  format: z.enum(['json', 'csv']).default('json'),
});

export const FleetVulnerabilityQuery = VulnerabilityFilters.extend({
  group: z.string().max(255).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(500),
  offset: z.coerce.number().int().min(0).default(0),
});
export type FleetVulnerabilityQuery = z.input<typeof FleetVulnerabilityQuery>;
export const HostVulnerabilityQuery = VulnerabilityFilters;
export type HostVulnerabilityQuery = z.input<typeof HostVulnerabilityQuery>;

const CveFacts = {
  cve: z.string(),
  description: z.string().nullable(),
  cvss: z.number().nullable(),
  epss: z.number().nullable(),
  kev: z.boolean(),
  /** The distribution's own rating (Debian urgency, Ubuntu priority, Red Hat impact). */
  severity: z.string().nullable(),
};

/** One CVE across the fleet, ranked by its most exposed host. */
export const FleetVulnerability = z.object({
  ...CveFacts,
  priority: z.number().int(),
  band: PriorityBand,
  exposure: Exposure,
  hosts: z.number().int(),
  /** Hosts exposed on the network (a listener beyond loopback). */
  networkHosts: z.number().int(),
  packages: z.array(z.string()),
  /** The fixed versions the distributions name (one per release). */
  fixedVersions: z.array(z.string()),
  /** Hosts where no fix exists yet. */
  noFixHosts: z.number().int(),
  /** Hosts where a waiver in force covers it (all of `hosts`: the CVE is waived wherever it is). */
  waivedHosts: z.number().int(),
  /** The waivers that cover it on those hosts. */
  waiverIds: z.array(z.string()),
});
export type FleetVulnerability = z.infer<typeof FleetVulnerability>;

export const FleetVulnerabilities = fleetPage(FleetVulnerability);
export type FleetVulnerabilities = z.infer<typeof FleetVulnerabilities>;

/** One source package across the fleet: what to update, on how many hosts, against how much. */
export const PackageVulnerability = z.object({
  /** Source package as the advisories name it. */
  source: z.string(),
  /** Binary packages built from it that carry findings. */
  packages: z.array(z.string()),
  /** The vulnerable versions installed in the fleet, sorted. */
  installedVersions: z.array(z.string()),
  hosts: z.number().int(),
  /** Hosts where one of its packages listens beyond loopback. */
  networkHosts: z.number().int(),
  cves: z.number().int(),
  /** CVEs of it in CISA's known-exploited catalog. */
  kevCves: z.number().int(),
  /** CVEs of it the distributions have no fix for yet. */
  noFixCves: z.number().int(),
  /** CVEs of it waived on every host that has them. */
  waivedCves: z.number().int(),
  /** The highest priority of its findings, and that finding's band. */
  priority: z.number().int(),
  band: PriorityBand,
  /** Its most reachable exposure in the fleet. */
  exposure: Exposure,
  /** Whether an update fixes at least one of its CVEs. */
  fixAvailable: z.boolean(),
  /** The fixed versions the distributions name for its CVEs, sorted. */
  fixedVersions: z.array(z.string()),
});
export type PackageVulnerability = z.infer<typeof PackageVulnerability>;

export const PackageVulnerabilities = fleetPage(PackageVulnerability);
export type PackageVulnerabilities = z.infer<typeof PackageVulnerabilities>;

/** One CVE on one host: the packages it is in and how reachable they are. */
export const HostVulnerability = z.object({
  ...CveFacts,
  source: z.string(),
  packages: z.array(z.string()),
  installedVersion: z.string(),
  fixedVersion: z.string().nullable(),
  state: FindingState,
  kernel: z.enum(['running', 'not_running']).nullable(),
  exposure: Exposure,
  /** `address:port/protocol` of each listener beyond loopback the packages own. */
  listeners: z.array(z.string()),
  priority: z.number().int(),
  band: PriorityBand,
  firstSeen: z.string(),
  /** A waiver in force covers it: still listed, marked. */
  waived: z.boolean(),
  waiver: AppliedWaiver.nullable(),
});
export type HostVulnerability = z.infer<typeof HostVulnerability>;

export const HostVulnerabilities = z.object({
  hostId: z.string(),
  /** The advisory data that applies (`debian bookworm`), null when none does. */
  release: z.string().nullable(),
  items: z.array(HostVulnerability),
  feeds: z.array(FeedStatus),
});
export type HostVulnerabilities = z.infer<typeof HostVulnerabilities>;
