import { priorityBand } from '@plumbline/advisories';
import type { ReportContext } from './context';
import type { ReportFinding, ReportHost } from './source';

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
