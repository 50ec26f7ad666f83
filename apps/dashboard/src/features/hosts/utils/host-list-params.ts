import type { HostListParams } from '../../../lib/query-keys';
import { HostsQuery } from '@plumbline/protocol/api';

/** The columns the server sorts hosts by; any other `sort` in the URL falls back to the default. */
const SORT_FIELDS: readonly string[] = HostsQuery.shape.sort.unwrap().options;

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export const HOST_LIST_DEFAULTS: HostListParams = {
  limit: 50,
  offset: 0,
  q: '',
  // Worst first: the hosts that need attention lead.
  sort: 'score',
  order: 'asc',
  group: '',
  tag: '',
  os: '',
  online: '',
  minScore: '',
  maxScore: '',
  failing: '',
};

/** The filters (not paging, sorting or search): used to tell "no match" from "no hosts". */
export const HOST_FILTER_KEYS = ['group', 'tag', 'os', 'online', 'minScore', 'maxScore', 'failing'] as const;

function toInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/** A score bound as the API takes it (0-100), or '' when absent or not a number. */
export function toScoreBound(value: string | null): string {
  if (value === null || value.trim() === '') return '';
  const n = Number(value);
  if (!Number.isFinite(n)) return '';
  return String(Math.min(100, Math.max(0, n)));
}

/**
 * Reads the hosts list state from a URL query. Anything malformed falls back to its
 * default rather than reaching the API as a 400: a hand-edited link still opens.
 */
export function parseHostListParams(search: URLSearchParams): HostListParams {
  const sort = search.get('sort');
  const order = search.get('order');
  const online = search.get('online');
  let minScore = toScoreBound(search.get('minScore'));
  let maxScore = toScoreBound(search.get('maxScore'));
  // A reversed range is what the user meant the other way round.
  if (minScore && maxScore && Number(minScore) > Number(maxScore)) [minScore, maxScore] = [maxScore, minScore];
  return {
    limit: toInt(search.get('limit'), HOST_LIST_DEFAULTS.limit, 1, 500),
    offset: toInt(search.get('offset'), HOST_LIST_DEFAULTS.offset, 0, Number.MAX_SAFE_INTEGER),
    q: search.get('q') ?? '',
    sort: sort && SORT_FIELDS.includes(sort) ? sort : HOST_LIST_DEFAULTS.sort,
    order: order === 'desc' || order === 'asc' ? order : HOST_LIST_DEFAULTS.order,
    group: search.get('group') ?? '',
    tag: (search.get('tag') ?? '').trim(),
    os: (search.get('os') ?? '').trim().toLowerCase(),
    online: online === 'true' || online === 'false' ? online : '',
    minScore,
    maxScore,
    failing: (search.get('failing') ?? '').trim(),
  };
}

/** Applies a change to a URL query; defaults are left out to keep shared links short. */
export function applyHostListPatch(prev: URLSearchParams, patch: Partial<HostListParams>): URLSearchParams {
  const next = new URLSearchParams(prev);
  for (const [key, value] of Object.entries(patch)) {
    const isDefault = value === HOST_LIST_DEFAULTS[key as keyof HostListParams];
    if (value === undefined || value === '' || isDefault) next.delete(key);
    else next.set(key, String(value));
  }
  return next;
}

export function hasHostFilters(params: HostListParams): boolean {
  return HOST_FILTER_KEYS.some((k) => params[k] !== '');
}

/** A patch that clears every filter and the search, back to the first page. */
export const CLEAR_HOST_FILTERS: Partial<HostListParams> = {
  q: '',
  offset: 0,
  ...Object.fromEntries(HOST_FILTER_KEYS.map((k) => [k, ''])),
};
