import { DownloadCsv } from '@/components/download-csv';
import { PageHeader } from '@/components/page-header';
import { FilterSelect, SelectField } from '@/components/form';
import { PagedView } from '@/components/paged-table';
import { EmptyState, UpdatingStatus } from '@/components/states';
import { TextFilter } from '@/components/text-filter';
import { useDrift } from '@/features/drift/api/get-drift';
import { DriftTable } from '@/features/drift/components/drift-table';
import {
  CLEAR_DRIFT_FILTERS,
  DIRECTIONS,
  DRIFT_KINDS,
  driftQuery,
  hasDriftFilters,
  RANGES,
  SEVERITIES,
  useDriftParams,
} from '@/features/drift/hooks/use-drift-params';
import { useSummary } from '@/features/overview/api/get-summary';
import { formatCount } from '@/lib/format';
import { useMemo } from 'react';

const PAGE = 50;

export function DriftRoute() {
  const { filters, update } = useDriftParams();
  const params = useMemo(() => driftQuery(filters, PAGE), [filters]);
  const drift = useDrift(params);
  // Group names for the filter come from the summary (one row per group).
  const groups = (useSummary().data?.groups ?? []).flatMap((g) => (g.name ? [g.name] : []));
  const filtered = hasDriftFilters(filters);
  const { limit: _limit, offset: _offset, ...csv } = params;

  return (
    <>
      <PageHeader title="Drift" documentTitle={filters.host ? `Drift on ${filters.host}` : 'Drift'}>
        {drift.data ? <span className="page-count">{formatCount(drift.data.total)}</span> : null}
        <span className="muted small">Newest first; new events arrive live.</span>
      </PageHeader>
      <div className="toolbar toolbar-wrap" role="search" aria-label="Filter drift">
        <TextFilter label="Search" value={filters.q} onChange={(q) => update({ q, offset: 0 })} placeholder="Setting, path, rule, value…" />
        <TextFilter label="Host" type="text" value={filters.host} onChange={(host) => update({ host, offset: 0 })} placeholder="Hostname" />
        <FilterSelect
          label="Group"
          all="All groups"
          value={filters.group}
          options={groups}
          onChange={(group) => update({ group, offset: 0 })}
        />
        <FilterSelect
          label="Kind"
          all="All kinds"
          value={filters.kind}
          options={DRIFT_KINDS}
          onChange={(kind) => update({ kind, offset: 0 })}
        />
        <FilterSelect
          label="Severity"
          all="All severities"
          value={filters.severity}
          options={SEVERITIES}
          onChange={(severity) => update({ severity, offset: 0 })}
        />
        <FilterSelect
          label="Direction"
          all="All directions"
          value={filters.direction}
          options={DIRECTIONS}
          onChange={(direction) => update({ direction, offset: 0 })}
        />
        <SelectField
          className="field field-inline"
          label="Time"
          value={filters.range}
          options={[...RANGES]}
          onChange={(range) => update({ range, offset: 0, ...(range !== 'custom' && { from: '', to: '' }) })}
        />
        {filters.range === 'custom' ? (
          <>
            <div className="field field-inline">
              <label htmlFor="drift-from">From</label>
              <input
                id="drift-from"
                type="date"
                value={filters.from}
                max={filters.to || undefined}
                onChange={(e) => update({ from: e.target.value, offset: 0 })}
              />
            </div>
            <div className="field field-inline">
              <label htmlFor="drift-to">To</label>
              <input
                id="drift-to"
                type="date"
                value={filters.to}
                min={filters.from || undefined}
                onChange={(e) => update({ to: e.target.value, offset: 0 })}
              />
            </div>
          </>
        ) : null}
        {filtered ? (
          <button type="button" className="btn" onClick={() => update(CLEAR_DRIFT_FILTERS)}>
            Clear filters
          </button>
        ) : null}
        <DownloadCsv path="/drift" query={csv} label="Download CSV" />
        <UpdatingStatus updating={drift.isPlaceholderData} />
      </div>
      <PagedView
        query={drift}
        paging={{ offset: filters.offset, limit: PAGE, onOffset: (offset) => update({ offset }) }}
        loading="Loading drift…"
        pagesLabel="Drift pages"
        empty={
          <EmptyState title={filtered ? 'No drift matches these filters' : 'No drift yet'}>
            {filtered ? (
              <button type="button" className="btn" onClick={() => update(CLEAR_DRIFT_FILTERS)}>
                Clear filters
              </button>
            ) : (
              'When a host changes (a new port, a setting, a rule result), it appears here live.'
            )}
          </EmptyState>
        }
      >
        {(items) => <DriftTable items={items} caption="Drift events, newest first" />}
      </PagedView>
    </>
  );
}
