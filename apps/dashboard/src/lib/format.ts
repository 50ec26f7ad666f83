/** Dates are shown in the viewer's own time zone and locale. */
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'short' });

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

export function formatRelative(iso: string | null | undefined, now: number): string {
  if (!iso) return 'never';
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  let seconds = Math.round((time - now) / 1000);
  // The shared clock ticks coarsely; a timestamp slightly ahead of it is "just now".
  if (seconds > 0 && seconds < 60) seconds = 0;
  const abs = Math.abs(seconds);
  if (abs < 10) return 'just now';
  for (const [unit, size] of UNITS) {
    if (abs >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return relative.format(seconds, 'second');
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat().format(n);
}

/** A compact one-line rendering of any JSON value, for tables. */
export function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** A score out of 100 with one decimal, or an em dash when nothing was judged yet. */
export function formatScore(score: number | null | undefined): string {
  if (score === null || score === undefined) return '—';
  return `${score.toFixed(1)}%`;
}

/** A date-only local value for <input type="date"> this many days ahead. */
export function dateInputValue(daysAhead: number, from = new Date()): string {
  const d = new Date(from.getTime() + daysAhead * 86_400_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The end of a local calendar day (23:59:59) as an ISO instant. */
export function endOfLocalDay(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
