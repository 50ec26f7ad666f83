import { z } from 'zod';

export const REPORT_FORMATS = ['csv', 'json', 'html', 'pdf', 'oscal', 'xccdf', 'arf', 'pack'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
/** The formats an evidence pack can hold: every report format but the pack itself. */
export type PackedFormat = Exclude<ReportFormat, 'pack'>;
export const PACKED_FORMATS = REPORT_FORMATS.filter((f): f is PackedFormat => f !== 'pack');
/** What a pack holds unless told otherwise: the reader's document, the data twice (structured and tabular), and the SCAP result. */
export const DEFAULT_PACK_FORMATS: PackedFormat[] = ['pdf', 'json', 'csv', 'xccdf'];
/** An evidence pack's audit slice starts this long before the report's time unless told otherwise. */
export const DEFAULT_PACK_PERIOD_DAYS = 90;
export const FRAMEWORKS = ['cis', 'nist', 'iso27001', 'jcstar'] as const;
export const REPORT_SECTIONS = ['compliance', 'vulnerabilities'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  oscal: 'application/json; charset=utf-8',
  xccdf: 'application/xml; charset=utf-8',
  arf: 'application/xml; charset=utf-8',
  pack: 'application/zip',
};
const EXTENSIONS: Record<ReportFormat, string> = {
  csv: 'csv',
  json: 'json',
  html: 'html',
  pdf: 'pdf',
  oscal: 'oscal.json',
  xccdf: 'xccdf.xml',
  arf: 'arf.xml',
  pack: 'pack.zip',
};

export type Scope = { kind: 'fleet' } | { kind: 'group' | 'tag' | 'host'; value: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `fleet` (or nothing), `group:<name>`, `tag:<tag>`, `host:<id>`. */
export const ScopeArg = z
  .string()
  .max(200)
  .default('fleet')
  .transform((s, ctx): Scope => {
    if (s === '' || s === 'fleet') return { kind: 'fleet' };
    const m = /^(group|tag|host):(.+)$/.exec(s);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: 'scope is fleet, group:<name>, tag:<tag> or host:<id>' });
      return z.NEVER;
    }
    const kind = m[1] as 'group' | 'tag' | 'host';
    if (kind === 'host' && !UUID.test(m[2] as string)) {
      ctx.addIssue({ code: 'custom', message: 'host:<id> takes a host id (a UUID)' });
      return z.NEVER;
    }
    return { kind, value: m[2] as string };
  });

/** An ISO date or date-time; a bare date means the end of that day (UTC) for asOf ("compliant on 30 June"), its start for since. */
const isoTime = (name: string, dayEdge: string) =>
  z
    .string()
    .max(40)
    .transform((s, ctx) => {
      const date = /^\d{4}-\d{2}-\d{2}$/.test(s)
        ? new Date(`${s}T${dayEdge}Z`)
        : /^\d{4}-\d{2}-\d{2}T/.test(s)
          ? new Date(s)
          : new Date(NaN);
      if (Number.isNaN(date.getTime())) {
        ctx.addIssue({ code: 'custom', message: `${name} is an ISO 8601 date or date-time, e.g. 2026-06-30 or 2026-06-30T12:00:00Z` });
        return z.NEVER;
      }
      return date;
    });
const AsOf = isoTime('asOf', '23:59:59.999');
const Since = isoTime('since', '00:00:00.000');

/** `pdf,json`: the formats an evidence pack holds, each once. */
const PackFormats = z
  .string()
  .max(200)
  .transform((s, ctx): PackedFormat[] => {
    const list = [
      ...new Set(
        s
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean),
      ),
    ];
    const bad = list.find((f) => !(PACKED_FORMATS as readonly string[]).includes(f));
    if (bad !== undefined || !list.length) {
      ctx.addIssue({ code: 'custom', message: `formats is a comma-separated list of ${PACKED_FORMATS.join(', ')}` });
      return z.NEVER;
    }
    return list as PackedFormat[];
  });

export const ReportQuery = z
  .object({
    format: z.enum(REPORT_FORMATS, { message: `format is one of ${REPORT_FORMATS.join(', ')}` }),
    scope: ScopeArg,
    profile: z.string().max(100).optional(),
    framework: z.enum(FRAMEWORKS, { message: `framework is one of ${FRAMEWORKS.join(', ')}` }).optional(),
    waivers: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    /** PDF: `false` leaves out the appendix of every verdict (passing and not applicable ones included). */
    appendix: z
      .enum(['true', 'false'])
      .default('true')
      .transform((v) => v === 'true'),
    asOf: AsOf.optional(),
    /** Evidence pack: the report formats it holds (default pdf, json, csv, xccdf). */
    formats: PackFormats.optional(),
    /** Evidence pack: where its audit-trail slice starts (default 90 days before the report's time). */
    since: Since.optional(),
    /** csv: `vulnerabilities` writes the known-vulnerability findings at the report's time instead of the verdicts (json always carries both). */
    section: z.enum(REPORT_SECTIONS, { message: `section is one of ${REPORT_SECTIONS.join(', ')}` }).default('compliance'),
    /** `header` (default): the report is spooled to a temporary file so the signature can lead as a header; `trailer`: streamed, the signature follows as an HTTP trailer. */
    signature: z.enum(['header', 'trailer']).default('header'),
  })
  .refine((q) => q.section !== 'vulnerabilities' || q.format === 'csv' || q.format === 'json', {
    path: ['section'],
    message: 'vulnerabilities is a csv report (json carries the findings always)',
  });
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface ReportOptions {
  format: ReportFormat;
  scope: Scope;
  profile?: string | undefined;
  framework?: Framework | undefined;
  waivers: boolean;
  asOf?: Date | undefined;
  /** CSV only: `vulnerabilities` for the findings table (default: the verdicts). */
  section?: (typeof REPORT_SECTIONS)[number] | undefined;
  /** PDF only: the appendix of every verdict by rule and host (default: included). */
  appendix?: boolean | undefined;
  /** Evidence pack only: the formats it holds (default DEFAULT_PACK_FORMATS). */
  formats?: PackedFormat[] | undefined;
  /** Evidence pack only: the start of the period whose audit trail it carries. */
  since?: Date | undefined;
}

export const scopeLabel = (s: Scope) => (s.kind === 'fleet' ? 'fleet' : `${s.kind}:${s.value}`);

/** e.g. plumbline-report-group-web-2026-06-30.csv */
export function reportFilename(o: ReportOptions, generatedAt: Date): string {
  const scope = scopeLabel(o.scope)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 60);
  const when = (o.asOf ?? generatedAt).toISOString().slice(0, 19).replace(/:/g, '').replace('T', '-');
  const profile = o.profile ? `-${o.profile.replace(/[^A-Za-z0-9._-]+/g, '-')}` : '';
  const section = o.format === 'csv' && o.section === 'vulnerabilities' ? '-vulnerabilities' : '';
  return `plumbline-report-${scope}${profile}${section}-${when}.${EXTENSIONS[o.format]}`;
}
