import { offsetParam, useUrlParams } from '@/lib/use-url-params';
import type { DriftParams } from '@/lib/query-keys';

export const DRIFT_KINDS = ['fact', 'compliance', 'baseline', 'identity', 'vulnerability'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export const DIRECTIONS = [
  { value: 'regression', label: 'Regression' },
  { value: 'improvement', label: 'Improvement' },
  { value: 'change', label: 'Change' },
] as const;
export const RANGES = [
  { value: '', label: 'Any time' },
  { value: '1h', label: 'Last hour' },
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
  { value: '30d', label: 'Last 30 days' },
  { value: 'custom', label: 'Between dates…' },
] as const;
const RANGE_MS: Record<string, number> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 };

export interface DriftFilters {
  host: string;
  group: string;
  kind: string;
  severity: string;
  direction: string;
  /** A preset (1h, 24h, 7d, 30d), `custom` (from / to dates) or '' (any time). */
  range: string;
  /** Local dates (YYYY-MM-DD) of a custom range, both inclusive. */
  from: string;
  to: string;
  q: string;
  offset: number;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const oneOf = (value: string | null, allowed: readonly string[]) => (value && allowed.includes(value) ? value : '');

/** Reads the drift filters from a URL query; anything malformed is left out rather than sent to the API. */
export function parseDriftFilters(search: URLSearchParams): DriftFilters {
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  return {
    host: (search.get('host') ?? '').trim(),
    group: search.get('group') ?? '',
    kind: oneOf(search.get('kind'), DRIFT_KINDS),
    severity: oneOf(search.get('severity'), SEVERITIES),
    direction: oneOf(
      search.get('direction'),
      DIRECTIONS.map((d) => d.value),
    ),
    range: oneOf(
      search.get('range'),
      RANGES.map((r) => r.value),
    ),
    from: DATE.test(from) ? from : '',
    to: DATE.test(to) ? to : '',
    q: (search.get('q') ?? '').trim(),
    offset: offsetParam(search),
  };
}

/**
 * The API query for the filters. A preset range counts back from `now`, rounded down to the
 * minute so that the query (and its cache key) stays the same while the page is open.
 */
export function driftQuery(f: DriftFilters, limit: number, now = Date.now()): DriftParams {
  const minute = Math.floor(now / 60_000) * 60_000;
  let since: string | undefined;
  let until: string | undefined;
  if (f.range in RANGE_MS) since = new Date(minute - (RANGE_MS[f.range] ?? 0)).toISOString();
  if (f.range === 'custom') {
    const [fy, fm, fd] = f.from.split('-').map(Number);
    const [ty, tm, td] = f.to.split('-').map(Number);
    if (f.from) since = new Date(fy ?? 0, (fm ?? 1) - 1, fd, 0, 0, 0).toISOString();
    if (f.to) until = new Date(ty ?? 0, (tm ?? 1) - 1, td, 23, 59, 59, 999).toISOString();
  }
  return {
    limit,
    offset: f.offset,
    ...(f.host && { host: f.host }),
    ...(f.group && { group: f.group }),
    ...(f.kind && { kind: f.kind }),
    ...(f.severity && { severity: f.severity }),
    ...(f.direction && { direction: f.direction }),
    ...(since && { since }),
    ...(until && { until }),
    ...(f.q && { q: f.q }),
  };
}

export const hasDriftFilters = (f: DriftFilters) => Boolean(f.host || f.group || f.kind || f.severity || f.direction || f.range || f.q);

export const CLEAR_DRIFT_FILTERS: Partial<DriftFilters> = {
  host: '',
  group: '',
  kind: '',
  severity: '',
  direction: '',
  range: '',
  from: '',
  to: '',
  q: '',
  offset: 0,
};

/** Drift feed filters live in the URL (defaults left out), so a view can be shared. */
export function useDriftParams() {
  const { values: filters, update } = useUrlParams<DriftFilters, Partial<DriftFilters>>(parseDriftFilters);
  return { filters, update };
}
