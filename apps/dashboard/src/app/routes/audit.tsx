import { DownloadCsv } from '@/components/download-csv';
import { PageHeader } from '@/components/page-header';
import { PagedView } from '@/components/paged-table';
import { EmptyState } from '@/components/states';
import { TextFilter } from '@/components/text-filter';
import { useAudit } from '@/features/audit/api/get-audit';
import { AuditTable } from '@/features/audit/components/audit-table';
import { AUDIT_ACTIONS, useAuditParams } from '@/features/audit/hooks/use-audit-params';
import { formatCount } from '@/lib/format';

const PAGE = 50;

export function AuditRoute() {
  const { filters, update } = useAuditParams();
  const query = {
    ...(filters.actor && { actor: filters.actor }),
    ...(filters.action && { action: filters.action }),
    ...(filters.target && { target: filters.target }),
  };
  const audit = useAudit({ limit: PAGE, offset: filters.offset, ...query });
  const known = AUDIT_ACTIONS.some((g) => g.actions.includes(filters.action));
  const filtered = Boolean(filters.actor || filters.action || filters.target);
  return (
    <>
      <PageHeader title="Audit" documentTitle="Audit">
        {audit.data ? <span className="page-count">{formatCount(audit.data.total)}</span> : null}
        <span className="muted small">Append-only and hash-chained: who did what, to what, when.</span>
      </PageHeader>
      <div className="toolbar toolbar-wrap" role="search" aria-label="Filter the audit trail">
        <TextFilter
          label="Actor"
          type="text"
          value={filters.actor}
          onChange={(actor) => update({ actor, offset: 0 })}
          placeholder="user:alice@example.com"
        />
        <div className="field field-inline">
          <label htmlFor="audit-action">Action</label>
          <select id="audit-action" value={filters.action} onChange={(e) => update({ action: e.target.value, offset: 0 })}>
            <option value="">All actions</option>
            {!known && filters.action ? <option value={filters.action}>{filters.action}</option> : null}
            {AUDIT_ACTIONS.map((g) => (
              <optgroup key={g.area} label={g.area}>
                {g.actions.map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
        <TextFilter
          label="Target"
          type="text"
          value={filters.target}
          onChange={(target) => update({ target, offset: 0 })}
          placeholder="Hostname, email, key or id"
        />
        {filtered ? (
          <button type="button" className="btn" onClick={() => update({ actor: '', action: '', target: '', offset: 0 })}>
            Clear filters
          </button>
        ) : null}
        <DownloadCsv path="/audit" query={query} />
      </div>
      <PagedView
        query={audit}
        paging={{ offset: filters.offset, limit: PAGE, onOffset: (offset) => update({ offset }) }}
        loading="Loading the audit trail…"
        empty={<EmptyState title={filtered ? 'No entries match these filters' : 'No entries'} />}
        pagesLabel="Audit pages"
      >
        {(items) => <AuditTable items={items} />}
      </PagedView>
    </>
  );
}
