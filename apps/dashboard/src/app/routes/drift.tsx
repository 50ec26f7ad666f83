import { useId } from 'react';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDrift } from '@/features/drift/api/get-drift';
import { DriftTable } from '@/features/drift/components/drift-table';
import { DRIFT_KINDS, SEVERITIES, useDriftParams } from '@/features/drift/hooks/use-drift-params';
import { useSummary } from '@/features/overview/api/get-summary';
import { formatCount } from '@/lib/format';

const PAGE = 50;

export function DriftRoute() {
  const id = useId();
  const { filters, update } = useDriftParams();
  const drift = useDrift({
    limit: PAGE,
    offset: filters.offset,
    ...(filters.kind && { kind: filters.kind }),
    ...(filters.severity && { severity: filters.severity }),
    ...(filters.group && { group: filters.group }),
  });
  // Group names for the filter come from the summary (one row per group).
  const groups = (useSummary().data?.groups ?? []).flatMap((g) => (g.name ? [g.name] : []));
  const filtered = Boolean(filters.kind || filters.severity || filters.group);

  return (
    <>
      <PageHeader title="Drift" documentTitle="Drift">
        {drift.data ? <span className="page-count">{formatCount(drift.data.total)}</span> : null}
        <span className="muted small">Newest first; new events arrive live.</span>
      </PageHeader>
      <div className="toolbar" role="search" aria-label="Filter drift">
        <div className="field field-inline">
          <label htmlFor={`${id}-kind`}>Kind</label>
          <select id={`${id}-kind`} value={filters.kind} onChange={(e) => update({ kind: e.target.value, offset: 0 })}>
            <option value="">All kinds</option>
            {DRIFT_KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={`${id}-sev`}>Severity</label>
          <select id={`${id}-sev`} value={filters.severity} onChange={(e) => update({ severity: e.target.value, offset: 0 })}>
            <option value="">All severities</option>
            {SEVERITIES.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={`${id}-group`}>Group</label>
          <select id={`${id}-group`} value={filters.group} onChange={(e) => update({ group: e.target.value, offset: 0 })}>
            <option value="">All groups</option>
            {[...new Set([...groups, ...(filters.group ? [filters.group] : [])])].map((g) => (
              <option key={g} value={g}>
                {g}
              </option>
            ))}
          </select>
        </div>
        {filtered ? (
          <button type="button" className="btn" onClick={() => update({ kind: '', severity: '', group: '', offset: 0 })}>
            Clear filters
          </button>
        ) : null}
        <span className="muted small" role="status">
          {drift.isPlaceholderData ? 'Updating…' : ''}
        </span>
      </div>
      {drift.isPending ? (
        <LoadingState label="Loading drift…" />
      ) : drift.isError ? (
        <ErrorState error={drift.error} onRetry={() => void drift.refetch()} />
      ) : drift.data.items.length === 0 ? (
        <EmptyState title={filtered ? 'No drift matches these filters' : 'No drift yet'}>
          {filtered ? null : 'When a host changes (a new port, a setting, a rule result), it appears here live.'}
        </EmptyState>
      ) : (
        <>
          <DriftTable items={drift.data.items} caption="Drift events, newest first" />
          <Pagination
            label="Drift pages"
            offset={filters.offset}
            limit={PAGE}
            total={drift.data.total}
            shown={drift.data.items.length}
            onChange={(offset) => update({ offset })}
          />
        </>
      )}
    </>
  );
}
