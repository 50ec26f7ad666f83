import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { SelectField, plainOptions } from '@/components/form';
import { QueryView } from '@/components/paged-table';
import { EmptyState } from '@/components/states';
import { useDrift } from '@/features/drift/api/get-drift';
import { DriftTable } from '@/features/drift/components/drift-table';
import { DRIFT_KINDS, SEVERITIES, useDriftParams } from '@/features/drift/hooks/use-drift-params';
import { useSummary } from '@/features/overview/api/get-summary';
import { formatCount } from '@/lib/format';

const PAGE = 50;

export function DriftRoute() {
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
        <SelectField
          className="field field-inline"
          label="Kind"
          value={filters.kind}
          options={[{ value: '', label: 'All kinds' }, ...plainOptions(DRIFT_KINDS)]}
          onChange={(kind) => update({ kind, offset: 0 })}
        />
        <SelectField
          className="field field-inline"
          label="Severity"
          value={filters.severity}
          options={[{ value: '', label: 'All severities' }, ...plainOptions(SEVERITIES)]}
          onChange={(severity) => update({ severity, offset: 0 })}
        />
        <SelectField
          className="field field-inline"
          label="Group"
          value={filters.group}
          options={[
            { value: '', label: 'All groups' },
            ...plainOptions([...new Set([...groups, ...(filters.group ? [filters.group] : [])])]),
          ]}
          onChange={(group) => update({ group, offset: 0 })}
        />
        {filtered ? (
          <button type="button" className="btn" onClick={() => update({ kind: '', severity: '', group: '', offset: 0 })}>
            Clear filters
          </button>
        ) : null}
        <span className="muted small" role="status">
          {drift.isPlaceholderData ? 'Updating…' : ''}
        </span>
      </div>
      <QueryView
        query={drift}
        loading="Loading drift…"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No drift matches these filters' : 'No drift yet'}>
            {filtered ? null : 'When a host changes (a new port, a setting, a rule result), it appears here live.'}
          </EmptyState>
        }
      >
        {(page) => (
          <>
            <DriftTable items={page.items} caption="Drift events, newest first" />
            <Pagination
              label="Drift pages"
              offset={filters.offset}
              limit={PAGE}
              total={page.total}
              shown={page.items.length}
              onChange={(offset) => update({ offset })}
            />
          </>
        )}
      </QueryView>
    </>
  );
}
