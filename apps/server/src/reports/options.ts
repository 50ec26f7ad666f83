import { z } from 'zod';

export const REPORT_FORMATS = ['csv', 'json', 'html', 'pdf', 'oscal', 'xccdf', 'arf'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const FRAMEWORKS = ['cis', 'nist', 'iso27001', 'jcstar'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  json: 'application/json; charset=utf-8',
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  oscal: 'application/json; charset=utf-8',
  xccdf: 'application/xml; charset=utf-8',
  arf: 'application/xml; charset=utf-8',
};
const EXTENSIONS: Record<ReportFormat, string> = {
  csv: 'csv',
  json: 'json',
  html: 'html',
  pdf: 'pdf',
  oscal: 'oscal.json',
  xccdf: 'xccdf.xml',
  arf: 'arf.xml',
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

const AsOf = z
  .string()
  .max(40)
  .transform((s, ctx) => {
    // An ISO date or date-time; a bare date means the end of that day (UTC): "compliant on 30 June".
    const date = /^\d{4}-\d{2}-\d{2}$/.test(s)
      ? new Date(`${s}T23:59:59.999Z`)
      : /^\d{4}-\d{2}-\d{2}T/.test(s)
        ? new Date(s)
        : new Date(NaN);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'asOf is an ISO 8601 date or date-time, e.g. 2026-06-30 or 2026-06-30T12:00:00Z' });
      return z.NEVER;
    }
    return date;
  });

export const ReportQuery = z.object({
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
  /** `header` (default): the report is spooled to a temporary file so the signature can lead as a header; `trailer`: streamed, the signature follows as an HTTP trailer. */
  signature: z.enum(['header', 'trailer']).default('header'),
});
export type ReportQuery = z.infer<typeof ReportQuery>;

export interface ReportOptions {
  format: ReportFormat;
  scope: Scope;
  profile?: string | undefined;
  framework?: Framework | undefined;
  waivers: boolean;
  asOf?: Date | undefined;
  /** PDF only: the appendix of every verdict by rule and host (default: included). */
  appendix?: boolean | undefined;
}

export const scopeLabel = (s: Scope) => (s.kind === 'fleet' ? 'fleet' : `${s.kind}:${s.value}`);

/** e.g. plumbline-report-group-web-2026-06-30.csv */
export function reportFilename(o: ReportOptions, generatedAt: Date): string {
  const scope = scopeLabel(o.scope)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 60);
  const when = (o.asOf ?? generatedAt).toISOString().slice(0, 19).replace(/:/g, '').replace('T', '-');
  const profile = o.profile ? `-${o.profile.replace(/[^A-Za-z0-9._-]+/g, '-')}` : '';
  return `plumbline-report-${scope}${profile}-${when}.${EXTENSIONS[o.format]}`;
}
