import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { HostListParams } from '@/lib/query-keys';
import { applyHostListPatch, parseHostListParams } from '../utils/host-list-params';

export { PAGE_SIZES } from '../utils/host-list-params';

/**
 * The hosts list state (page, search, sort, filters) lives in the URL so a view can be
 * shared and survives reloads.
 */
export function useHostListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => parseHostListParams(searchParams), [searchParams]);
  const update = useCallback(
    (patch: Partial<HostListParams>, options: { replace?: boolean } = {}) => {
      setSearchParams((prev) => applyHostListPatch(prev, patch), { replace: options.replace ?? false });
    },
    [setSearchParams],
  );
  return { params, update };
}
