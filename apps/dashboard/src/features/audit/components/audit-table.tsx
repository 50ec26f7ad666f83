import type { AuditEntry } from '@plumbline/protocol/access';
import { Link } from 'react-router';
import { column, DataTable, type Column } from '@/components/data-table';
import { AbsoluteTime } from '@/components/relative-time';
import { formatValue } from '@/lib/format';

type Entry = AuditEntry & { targetName?: string | null };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function Details({ details }: { details: unknown }) {
  const text = details === null || details === undefined ? '' : formatValue(details);
  return (
    <span className="mono small clamp clamp-wide" title={text.length > 80 ? text : undefined}>
      {text === '{}' ? '—' : text || '—'}
    </span>
  );
}

/** The target by name where the server names it; a host target links to the host. */
function Target({ e }: { e: Entry }) {
  if (!e.target) return <span className="muted">—</span>;
  const name = e.targetName ?? (UUID.test(e.target) ? `${e.target.slice(0, 8)}…` : e.target);
  const isHost = UUID.test(e.target) && /^(host|baseline|agent)\./.test(e.action);
  return <span title={e.target}>{isHost ? <Link to={`/hosts/${encodeURIComponent(e.target)}`}>{name}</Link> : name}</span>;
}

const columns: Column<Entry>[] = [
  column('#', (e) => e.seq, { num: true, className: 'mono' }),
  column('When', (e) => <AbsoluteTime iso={e.at} />, { className: 'nowrap' }),
  column('Actor', (e) => <span className="audit-actor">{e.actor}</span>),
  column('Action', (e) => e.action, { className: 'mono' }),
  column('Target', (e) => <Target e={e} />),
  column('Details', (e) => <Details details={e.details} />),
  column('Hash', (e) => <span title={e.hash}>{e.hash.slice(0, 12)}…</span>, { className: 'mono small muted' }),
];

export function AuditTable({ items }: { items: AuditEntry[] }) {
  return <DataTable items={items} columns={columns} caption="Audit trail, newest first" rowKey={(e) => e.seq} />;
}
