import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

/** The page offset in a URL query: a positive whole number, else 0. */
export function offsetParam(search: URLSearchParams): number {
  const offset = Number.parseInt(search.get('offset') ?? '0', 10);
  return Number.isFinite(offset) && offset > 0 ? offset : 0;
}

/** A page's filters kept in the URL (defaults left out, so a view can be shared): `parse` reads them, `update` merges a patch. */
export function useUrlParams<T, P extends object>(parse: (search: URLSearchParams) => T) {
  const [searchParams, setSearchParams] = useSearchParams();
  const values = useMemo(() => parse(searchParams), [parse, searchParams]);
  const update = useCallback(
    (patch: P) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch) as [string, unknown][]) {
            if (value === '' || value === 0 || value === undefined) next.delete(key);
            else next.set(key, String(value));
          }
          return next;
        },
        { replace: true },
      );
    },
    [setSearchParams],
  );
  return { values, update };
}
