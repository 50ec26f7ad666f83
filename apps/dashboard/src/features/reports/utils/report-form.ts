import { buildUrl } from '../../../lib/api-client';

export const REPORT_FORMATS = [
  { id: 'pdf', label: 'PDF' },
  { id: 'html', label: 'HTML (self-contained)' },
  { id: 'csv', label: 'CSV (one row per host and rule)' },
  { id: 'json', label: 'JSON' },
  { id: 'oscal', label: 'OSCAL Assessment Results' },
  { id: 'xccdf', label: 'XCCDF 1.2 results' },
  { id: 'arf', label: 'ARF (SCAP result data stream)' },
] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number]['id'];

/**
 * What a report is of: the compliance verdicts (every format), or the known-vulnerability findings
 * at its time (`section=vulnerabilities`: a CSV of them, or the JSON report, which carries them
 * under `vulnerabilities`).
 */
export const REPORT_SECTIONS = [
  { id: 'compliance', label: 'Compliance (rule verdicts)' },
  { id: 'vulnerabilities', label: 'Known vulnerabilities (findings)' },
] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number]['id'];
export const VULNERABILITY_FORMATS = [
  { id: 'csv', label: 'CSV (one row per host and finding)' },
  { id: 'json', label: 'JSON (the findings under "vulnerabilities")' },
] as const satisfies readonly { id: ReportFormat; label: string }[];
const isVulnerabilityFormat = (f: ReportFormat) => VULNERABILITY_FORMATS.some((v) => v.id === f);

export const FRAMEWORKS = [
  { id: 'cis', label: 'CIS sections' },
  { id: 'nist', label: 'NIST 800-53' },
  { id: 'iso27001', label: 'ISO 27001 Annex A' },
  { id: 'jcstar', label: 'JC-STAR' },
] as const;

export const REPORT_PROFILES = ['cis-l1-server', 'cis-l2-server', 'edge-device'] as const;
export const SCOPE_KINDS = ['fleet', 'group', 'tag', 'host'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** The report form as the URL holds it, so that a report's settings can be shared. */
export interface ReportForm {
  section: ReportSection;
  /** For the vulnerability report, csv or json only. */
  format: ReportFormat;
  scopeKind: ScopeKind;
  /** Group name, tag or host id; '' for the fleet. */
  scopeValue: string;
  /** '' = each host's own profile. */
  profile: string;
  /** '' = the profile's own sections. */
  framework: string;
  waivers: boolean;
  /** A local calendar date (YYYY-MM-DD); '' = now. */
  asOf: string;
}

export const DEFAULT_REPORT_FORM: ReportForm = {
  section: 'compliance',
  format: 'pdf',
  scopeKind: 'fleet',
  scopeValue: '',
  profile: '',
  framework: '',
  waivers: true,
  asOf: '',
};

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  values.includes(value as T) ? (value as T) : fallback;

export function parseReportForm(search: URLSearchParams): ReportForm {
  const scope = search.get('scope') ?? '';
  // A kind without its value yet (`group:`) is kept: the user has picked the kind and not the group.
  const m = /^(group|tag|host):(.*)$/.exec(scope);
  const asOf = search.get('asOf') ?? '';
  const section = oneOf<ReportSection>(
    REPORT_SECTIONS.map((x) => x.id),
    search.get('section'),
    DEFAULT_REPORT_FORM.section,
  );
  const format = oneOf(
    REPORT_FORMATS.map((f) => f.id),
    search.get('format'),
    DEFAULT_REPORT_FORM.format,
  );
  return {
    section,
    format: section === 'vulnerabilities' && !isVulnerabilityFormat(format) ? 'csv' : format,
    scopeKind: m ? (m[1] as ScopeKind) : 'fleet',
    scopeValue: m ? (m[2] as string) : '',
    profile: oneOf<string>(REPORT_PROFILES, search.get('profile'), ''),
    framework: oneOf<string>(
      FRAMEWORKS.map((f) => f.id),
      search.get('framework'),
      '',
    ),
    waivers: search.get('waivers') !== 'false',
    asOf: /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : '',
  };
}

/** The URL query of a form: defaults left out. */
export function reportFormSearch(form: ReportForm): URLSearchParams {
  const next = new URLSearchParams();
  if (form.section !== DEFAULT_REPORT_FORM.section) next.set('section', form.section);
  if (form.format !== DEFAULT_REPORT_FORM.format) next.set('format', form.format);
  if (form.scopeKind !== 'fleet') next.set('scope', `${form.scopeKind}:${form.scopeValue}`);
  if (form.profile) next.set('profile', form.profile);
  if (form.framework) next.set('framework', form.framework);
  if (!form.waivers) next.set('waivers', 'false');
  if (form.asOf) next.set('asOf', form.asOf);
  return next;
}

/**
 * "As of 30 June" means the end of that day where the viewer is; today (or a later day)
 * means now, since the server refuses a time in the future.
 */
export function asOfInstant(date: string, now: Date): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const end = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59, 999);
  if (Number.isNaN(end.getTime())) return null;
  return (end.getTime() > now.getTime() ? now : end).toISOString();
}

export type ReportRequest = { ok: true; query: Record<string, string>; href: string } | { ok: false; error: string };

/** The GET /api/v1/reports query of a form, or what is missing. */
export function reportRequest(form: ReportForm, now: Date): ReportRequest {
  const value = form.scopeValue.trim();
  if (form.scopeKind !== 'fleet' && !value) {
    return { ok: false, error: form.scopeKind === 'host' ? 'Choose the host to report on.' : `Enter the ${form.scopeKind} to report on.` };
  }
  if (form.scopeKind === 'host' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)) {
    return { ok: false, error: 'Choose the host from the list (a host is named by its id).' };
  }
  const findings = form.section === 'vulnerabilities';
  if (findings && !isVulnerabilityFormat(form.format)) return { ok: false, error: 'Known vulnerabilities are exported as CSV or JSON.' };
  const query: Record<string, string> = {
    format: form.format,
    scope: form.scopeKind === 'fleet' ? 'fleet' : `${form.scopeKind}:${value}`,
    waivers: String(form.waivers),
  };
  // Findings have no profile or framework: those choose rules.
  if (findings) query.section = 'vulnerabilities';
  else {
    if (form.profile) query.profile = form.profile;
    if (form.framework) query.framework = form.framework;
  }
  if (form.asOf) {
    const asOf = asOfInstant(form.asOf, now);
    if (!asOf) return { ok: false, error: 'The as-of date is not a date.' };
    query.asOf = asOf;
  }
  return { ok: true, query, href: buildUrl('/reports', query) };
}

/** The filename the server names in Content-Disposition, else a fallback. */
export function filenameFrom(disposition: string | null, fallback: string): string {
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  const name = m?.[1] ? decodeURIComponent(m[1]) : '';
  // Only a plain name: never a path into the user's folders.
  return /^[\w.+-]+$/.test(name) ? name : fallback;
}

/**
 * The detached signature file `plumbline verify REPORT` looks for beside REPORT (REPORT.sig),
 * built from the response headers and the server's public key, as the CLI writes it.
 */
export function signatureFileOf(
  report: { signature: string; algorithm: string; keyId: string; sha256: string | null; bytes: number },
  key: { fingerprint: string; publicKey: string },
  signedAt: Date,
): string {
  const file = {
    format: 'plumbline-report-signature',
    version: 1,
    algorithm: report.algorithm,
    keyId: report.keyId,
    fingerprint: key.fingerprint,
    signature: report.signature,
    sha256: report.sha256,
    bytes: report.bytes,
    signedAt: signedAt.toISOString(),
    publicKey: key.publicKey,
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}
