import type { ReportContext } from './context';
import type { ReportResult } from './source';
import { findingJson, VULNERABILITY_CSV_COLUMNS } from './vulnerabilities';

/**
 * CSV per RFC 4180: CRLF line ends, every field that holds a comma, quote, CR or LF quoted,
 * quotes doubled. A cell a spreadsheet would run as a formula (= + - @ first) gets a leading
 * apostrophe (OWASP CSV injection), unless it is a plain number.
 */
export const CSV_COLUMNS = [
  'host_id',
  'hostname',
  'group',
  'tags',
  'os',
  'profile',
  'rule_id',
  'title',
  'severity',
  'levels',
  'section',
  'section_name',
  'cis',
  'ssg',
  'nist',
  'iso27001',
  'jcstar',
  'status',
  'waived',
  'waiver_justification',
  'waiver_approver',
  'waiver_expires_at',
  'expected',
  'observed',
  'source',
  'first_failed_at',
  'changed_at',
  'as_of',
] as const;

export function csvField(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[+-]?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvLine = (fields: (string | number | boolean | null | undefined)[]) => `${fields.map(csvField).join(',')}\r\n`;

const evidenceField = (r: ReportResult, key: 'expected' | 'observed' | 'source') =>
  r.evidence
    .map((e) => e[key] ?? '')
    .filter((x, i, all) => x !== '' || all.length === 1)
    .join('\n');

export async function* csvReport(ctx: ReportContext): AsyncGenerator<string> {
  if (ctx.options.section === 'vulnerabilities') {
    yield* vulnerabilitiesCsv(ctx);
    return;
  }
  yield csvLine([...CSV_COLUMNS]);
  const asOf = (ctx.asOf ?? ctx.generatedAt).toISOString();
  for await (const { host, results } of ctx.source.hosts(true)) {
    let chunk = '';
    for (const r of results) {
      chunk += csvLine([
        host.id,
        host.hostname,
        host.group,
        host.tags.join(' '),
        host.os,
        ctx.options.profile ?? host.profileId,
        r.ruleId,
        r.title,
        r.severity,
        r.levels.join(' '),
        r.section.id,
        r.section.name,
        r.references.cis.join(' '),
        r.references.ssg.join(' '),
        r.references.nist.join(' '),
        r.references.iso27001.join(' '),
        r.references.jcstar.join(' '),
        r.status,
        r.waived ? 'true' : 'false',
        r.waiver?.justification,
        r.waiver?.approver,
        r.waiver?.expiresAt.toISOString(),
        evidenceField(r, 'expected'),
        evidenceField(r, 'observed'),
        evidenceField(r, 'source'),
        r.firstFailedAt?.toISOString(),
        r.changedAt.toISOString(),
        asOf,
      ]);
    }
    yield chunk;
  }
}

/** `section=vulnerabilities`: one row per known-vulnerability finding a host in scope had at T. */
async function* vulnerabilitiesCsv(ctx: ReportContext): AsyncGenerator<string> {
  yield csvLine([...VULNERABILITY_CSV_COLUMNS]);
  const asOf = ctx.source.at.toISOString();
  for await (const { host, findings } of ctx.source.vulnerabilities()) {
    let chunk = '';
    for (const f of findings.map((x) => findingJson(host, x))) {
      chunk += csvLine([
        host.id,
        host.hostname,
        host.group,
        f.cve,
        f.source,
        f.packages.join(' '),
        f.installedVersion,
        f.fixedVersion,
        f.state,
        f.exposure,
        f.listeners.join(' '),
        f.priority,
        f.band,
        f.severity,
        f.cvss,
        f.epss,
        f.kev ? 'true' : 'false',
        f.waived ? 'true' : 'false',
        f.waiver?.id,
        f.since,
        asOf,
      ]);
    }
    yield chunk;
  }
}
