import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';

export const DRIFT_KINDS = ['fact', 'compliance', 'baseline', 'identity'] as const;
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export interface DriftFilters {
  kind: string;
  severity: string;
  group: string;
  offset: number;
}

/** Drift feed filters live in the URL (defaults left out), so a view can be shared. */
export function useDriftParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = useMemo<DriftFilters>(() => {
    const kind = searchParams.get('kind') ?? '';
    const severity = searchParams.get('severity') ?? '';
    const offset = Number.parseInt(searchParams.get('offset') ?? '0', 10);
    return {
      kind: (DRIFT_KINDS as readonly string[]).includes(kind) ? kind : '',
      severity: (SEVERITIES as readonly string[]).includes(severity) ? severity : '',
      group: searchParams.get('group') ?? '',
      offset: Number.isFinite(offset) && offset > 0 ? offset : 0,
    };
  }, [searchParams]);

  const update = useCallback(
    (patch: Partial<DriftFilters>) => {
      setSearchParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(patch)) {
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
  return { filters, update };
}
