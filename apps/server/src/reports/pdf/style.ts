import type { Cell, Font } from './layout';

/**
 * The dashboard's palette (apps/dashboard/src/styles.css, light scheme): each status has a text
 * colour, a badge background and a chart colour, with the dashboard's labels.
 */
export const STATUS = {
  pass: { label: 'Pass', text: '#116329', bg: '#dafbe1', bar: '#1a7f37' },
  fail: { label: 'Fail', text: '#a40e26', bg: '#ffebe9', bar: '#cf222e' },
  waived: { label: 'Waived', text: '#6639ba', bg: '#fbefff', bar: '#8250df' },
  notapplicable: { label: 'N/A', text: '#424a53', bg: '#eaeef2', bar: '#8c959f' },
  error: { label: 'Error', text: '#6c4400', bg: '#fff8c5', bar: '#bf8700' },
} as const;
export type StatusKey = keyof typeof STATUS;

export const TEXT = '#1b2330';
export const MUTED = '#57606a';
export const BORDER = '#d0d7de';

export const body: Font = { font: 'Helvetica', size: 7.5, color: TEXT };
export const small: Font = { font: 'Helvetica', size: 6.8, color: TEXT };
export const muted: Font = { font: 'Helvetica', size: 7, color: MUTED };
export const bold: Font = { font: 'Helvetica-Bold', size: 7.5, color: TEXT };

export const statusOf = (r: { status: string; waived?: boolean | undefined }): StatusKey =>
  r.waived && r.status === 'fail' ? 'waived' : (r.status as StatusKey);

/** A status badge, as on the dashboard. */
export function statusCell(key: StatusKey, size = 7): Cell {
  const s = STATUS[key];
  return { text: s.label, font: { font: 'Helvetica-Bold', size, color: s.text }, badge: { bg: s.bg } };
}

const SEVERITY_TONE: Record<string, StatusKey> = { critical: 'fail', high: 'fail', medium: 'error', low: 'notapplicable' };
export function severityCell(severity: string): Cell {
  const s = STATUS[SEVERITY_TONE[severity] ?? 'notapplicable'];
  return { text: severity, font: { font: 'Helvetica-Bold', size: 7, color: s.text }, badge: { bg: s.bg } };
}

/** Score tones as on the dashboard: 80 and up ok, 50 and up warn, below bad. */
export function scoreCell(score: number | null, font: Font = body): Cell {
  const color = score === null ? MUTED : score >= 80 ? STATUS.pass.text : score >= 50 ? STATUS.error.text : STATUS.fail.text;
  return { text: score === null ? '-' : `${score.toFixed(1)}%`, font: { ...font, font: 'Helvetica-Bold', color }, align: 'right' };
}

export const num = (n: number): Cell => ({ text: String(n), font: body, align: 'right' });
export const txt = (t: string, f: Font = body): Cell => ({ text: t, font: f });
