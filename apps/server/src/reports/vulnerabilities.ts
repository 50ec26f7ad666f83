import { priorityBand } from '@plumbline/advisories';
import type { ReportContext } from './context';
import type { ReportFinding, ReportHost } from './source';
import type { WaiverInForce } from './pdf/summary-pages';

/**
 * The report's known-vulnerability section: every finding a host in scope had at the report's
 * time T (kernels installed but not running left out), from the findings' history; CVSS, EPSS
 * and KEV membership are those of the data imported now. A finding a CVE waiver covered at T is
 * listed and marked waived (unless the report ignores waivers).
 */
export function findingJson(host: ReportHost, f: ReportFinding) {
  return {
    host: { id: host.id, hostname: host.hostname, group: host.group },
    cve: f.cve,
    source: f.source,
    packages: f.packages,
    installedVersion: f.installedVersion,
    fixedVersion: f.fixedVersion,
    state: f.state,
    exposure: f.exposure,
    listeners: f.listeners,
    priority: f.priority,
    band: priorityBand(f.priority),
    severity: f.severity,
    cvss: f.cvss,
    epss: f.epss,
    kev: f.kev,
    since: f.since.toISOString(),
    waived: f.waiver !== null,
    waiver: f.waiver,
  };
}

export interface VulnerabilitySummary {
  findings: number;
  hosts: number;
  cves: number;
  /** Findings per priority band. */
  bands: Record<'critical' | 'high' | 'medium' | 'low', number>;
  /** Findings in a package that listens beyond loopback. */
  network: number;
  /** Findings no update fixes yet. */
  noFix: number;
  /** Findings a CVE waiver covered. */
  waived: number;
}

export class VulnerabilitySummaryBuilder {
  private readonly cves = new Set<string>();
  private readonly s: VulnerabilitySummary = {
    findings: 0,
    hosts: 0,
    cves: 0,
    bands: { critical: 0, high: 0, medium: 0, low: 0 },
    network: 0,
    noFix: 0,
    waived: 0,
  };
  add(findings: ReportFinding[]): void {
    if (findings.length) this.s.hosts++;
    for (const f of findings) {
      this.s.findings++;
      this.cves.add(f.cve);
      this.s.bands[priorityBand(f.priority) as keyof VulnerabilitySummary['bands']]++;
      if (f.exposure === 'network') this.s.network++;
      if (f.state === 'no_fix') this.s.noFix++;
      if (f.waiver) this.s.waived++;
    }
  }
  summary(): VulnerabilitySummary {
    return { ...this.s, cves: this.cves.size, bands: { ...this.s.bands } };
  }
}

/** `"vulnerabilities":{"asOf":...,"findings":[...],"summary":{...}}`, written as it is read. */
export async function* vulnerabilitiesJson(ctx: ReportContext): AsyncGenerator<string> {
  const b = new VulnerabilitySummaryBuilder();
  yield `"vulnerabilities":{"asOf":${JSON.stringify(ctx.source.at.toISOString())},"findings":[`;
  let first = true;
  for await (const { host, findings } of ctx.source.vulnerabilities()) {
    b.add(findings);
    yield `${first ? '' : ','}\n${findings.map((f) => JSON.stringify(findingJson(host, f))).join(',\n')}`;
    first = false;
  }
  yield `],"summary":${JSON.stringify(b.summary())}}`;
}

export const VULNERABILITY_CSV_COLUMNS = [
  'host_id',
  'hostname',
  'group',
  'cve',
  'source',
  'packages',
  'installed_version',
  'fixed_version',
  'state',
  'exposure',
  'listeners',
  'priority',
  'band',
  'severity',
  'cvss',
  'epss',
  'kev',
  'waived',
  'waiver_id',
  'since',
  'as_of',
] as const;

export const EXPOSURE: Record<string, string> = {
  network: 'Listens on the network',
  service: 'Runs as a service',
  installed: 'Installed only',
};
/** The rows the PDF and HTML reports list at most; the JSON and CSV reports carry every finding. */
export const FINDING_ROWS = 400;
const HOSTS_NAMED = 12;
const LISTENERS_NAMED = 4;

interface Row {
  finding: ReportFinding;
  hosts: string[];
  hostCount: number;
  listeners: Set<string>;
}

export interface VulnerabilityRows {
  summary: VulnerabilitySummary;
  /** The most urgent rows, at most FINDING_ROWS. */
  rows: Row[];
  /** How many rows there were in all. */
  total: number;
  feeds: { kind: string; version: string | null; importedAt: Date }[];
  /** The CVE waivers that cover a finding in scope, for the register of waivers in force. */
  waivers: WaiverInForce[];
}

const rowKey = (f: ReportFinding) =>
  [f.cve, f.source, f.installedVersion, f.fixedVersion ?? '', f.state, f.priority, f.exposure, f.waiver?.id ?? ''].join('\u0000');

const byUrgency = (a: Row, b: Row) =>
  b.finding.priority - a.finding.priority ||
  (a.finding.cve < b.finding.cve ? -1 : a.finding.cve > b.finding.cve ? 1 : 0) ||
  (a.finding.source < b.finding.source ? -1 : a.finding.source > b.finding.source ? 1 : 0) ||
  b.hostCount - a.hostCount;

/**
 * One pass over the findings as of the report's time: the figures, and the rows by urgency for
 * the PDF and HTML reports. Findings alike on several hosts (hosts built from one image) are one
 * row naming the hosts, so that a fleet reads as what to update where, not as one row per host.
 */
export async function collectVulnerabilities(ctx: ReportContext): Promise<VulnerabilityRows> {
  const summary = new VulnerabilitySummaryBuilder();
  const rows = new Map<string, Row>();
  /** Per CVE waiver, the hosts whose findings it covers. */
  const waived = new Map<string, Set<string>>();
  for await (const { host, findings } of ctx.source.vulnerabilities()) {
    summary.add(findings);
    for (const f of findings) {
      if (f.waiver) waived.set(f.waiver.id, (waived.get(f.waiver.id) ?? new Set()).add(host.id));
      const key = rowKey(f);
      const row = rows.get(key) ?? { finding: f, hosts: [], hostCount: 0, listeners: new Set<string>() };
      if (row.hosts.length < HOSTS_NAMED) row.hosts.push(host.hostname);
      row.hostCount++;
      for (const l of f.listeners) if (row.listeners.size < LISTENERS_NAMED) row.listeners.add(l);
      rows.set(key, row);
    }
  }
  const sorted = [...rows.values()].sort(byUrgency);
  const feeds = (await ctx.source.vulnerabilityFeeds()).map((f) => ({ kind: f.kind, version: f.version, importedAt: f.importedAt }));
  const cves = [...new Set(sorted.filter((r) => r.finding.waiver).map((r) => r.finding.cve))];
  const waivers = (await ctx.source.cveWaivers(cves))
    .filter((w) => waived.has(w.id))
    .map((w): WaiverInForce => ({
      what: `${w.cve} (known vulnerability)`,
      scope: { type: w.scopeType as WaiverInForce['scope']['type'], id: w.scopeId },
      justification: w.justification,
      approver: w.approvedBy ?? w.requestedBy,
      expiresAt: w.expiresAt,
      hosts: waived.get(w.id)?.size ?? 0,
    }));
  return { summary: summary.summary(), rows: sorted.slice(0, FINDING_ROWS), total: sorted.length, feeds, waivers };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** One sentence of the section's figures, for the executive summary too. */
export function vulnerabilitySentence(s: VulnerabilitySummary): string {
  if (!s.findings) return 'No known vulnerability on the hosts in scope.';
  const b = s.bands;
  return (
    `${plural(s.findings, 'finding')} of ${plural(s.cves, 'CVE')} on ${plural(s.hosts, 'host')}: ` +
    `${b.critical} critical, ${b.high} high, ${b.medium} medium, ${b.low} low; ` +
    `${s.network} in a package listening on the network, ${s.noFix} with no fix yet, ${s.waived} waived.`
  );
}
