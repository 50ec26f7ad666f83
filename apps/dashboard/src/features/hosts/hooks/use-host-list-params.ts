import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { HostListParams } from '@/lib/query-keys';
import { HOST_SORT_FIELDS } from '../api/types';

export const PAGE_SIZES = [25, 50, 100, 200] as const;
const DEFAULTS: HostListParams = { limit: 50, offset: 0, q: '', sort: 'hostname', order: 'asc', group: '', online: '', failing: '' };

function toInt(value: string | null, fallback: number, min: number, max: number): number {
  const n = Number.parseInt(value ?? '', 10);
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

/**
 * The hosts list state (page, search, sort) lives in the URL so a view can be shared
 * and survives reloads; defaults are left out of the URL to keep links short.
 */
export function useHostListParams() {
  const [searchParams, setSearchParams] = useSearchParams();

  const params = useMemo<HostListParams>(() => {
    const sort = searchParams.get('sort');
    const order = searchParams.get('order');
    return {
      limit: toInt(searchParams.get('limit'), DEFAULTS.limit, 1, 500),
      offset: toInt(searchParams.get('offset'), DEFAULTS.offset, 0, Number.MAX_SAFE_INTEGER),
      q: searchParams.get('q') ?? DEFAULTS.q,
      sort: sort && (HOST_SORT_FIELDS as readonly string[]).includes(sort) ? sort : DEFAULTS.sort,
      order: order === 'desc' || order === 'asc' ? order : DEFAULTS.order,
      group: searchParams.get('group') ?? '',
      online: searchParams.get('online') === 'true' ? 'true' : searchParams.get('online') === 'false' ? 'false' : '',
      failing: searchParams.get('failing') ?? '',
    };
  }, [searchParams]);

  const update = useCallback(
    (patch: Partial<HostListParams>, options: { replace?: boolean } = {}) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
            const isDefault = value === DEFAULTS[key as keyof HostListParams];
            if (value === undefined || value === '' || isDefault) next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: options.replace ?? false },
      );
    },
    [setSearchParams],
  );

  return { params, update };
}
