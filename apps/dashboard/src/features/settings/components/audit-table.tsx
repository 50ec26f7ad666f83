import type { AuditEntry } from '@plumbline/protocol/access';
import { column, DataTable, type Column } from '@/components/data-table';
import { AbsoluteTime } from '@/components/relative-time';
import { formatValue } from '@/lib/format';

function Details({ details }: { details: unknown }) {
  const text = details === null || details === undefined ? '' : formatValue(details);
  return (
    <span className="mono small clamp clamp-wide" title={text.length > 80 ? text : undefined}>
      {text || '—'}
    </span>
  );
}

const columns: Column<AuditEntry>[] = [
  column('#', (e) => e.seq, { num: true, className: 'mono' }),
  column('When', (e) => <AbsoluteTime iso={e.at} />, { className: 'nowrap' }),
  column('Actor', (e) => e.actor),
  column('Action', (e) => e.action, { className: 'mono' }),
  column('Target', (e) => e.target ?? '—', { className: 'mono small' }),
  column('Details', (e) => <Details details={e.details} />),
  column('Hash', (e) => <span title={e.hash}>{e.hash.slice(0, 12)}…</span>, { className: 'mono small muted' }),
];

export function AuditTable({ items }: { items: AuditEntry[] }) {
  return <DataTable items={items} columns={columns} caption="Audit trail, newest first" rowKey={(e) => e.seq} />;
}
