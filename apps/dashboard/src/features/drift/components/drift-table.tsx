import type { DriftItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { DirectionBadge, SeverityBadge } from '@/components/badges';
import { ValueCell, WhenCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';

const hostColumn = column<DriftItem>('Host', (d) => (
  <>
    <Link to={`/hosts/${encodeURIComponent(d.hostId)}`}>{d.hostname}</Link>
    {d.group ? <div className="small muted">{d.group}</div> : null}
  </>
));

const columns: Column<DriftItem>[] = [
  column('Kind', (d) => (
    <>
      <span className="mono small">{d.kind}</span> <DirectionBadge direction={d.direction} />
    </>
  )),
  column('What', (d) =>
    d.ruleId ? (
      <Link to={`/rules/${encodeURIComponent(d.ruleId)}`}>{d.ruleTitle ?? d.ruleId}</Link>
    ) : (
      <span className="mono clamp clamp-wide" title={d.path ?? undefined}>
        {d.path || '—'}
      </span>
    ),
  ),
  column('Severity', (d) => <SeverityBadge severity={d.severity} />),
  column('Before', (d) => <ValueCell value={d.before} />),
  column('After', (d) => <ValueCell value={d.after} />),
];

const when = column<DriftItem>('When', (d) => <WhenCell iso={d.observedAt} />, { className: 'nowrap' });

/** What changed, on which host, from what to what, and when (newest first). */
export function DriftTable({ items, showHost = true, caption }: { items: DriftItem[]; showHost?: boolean; caption: string }) {
  return (
    <DataTable
      items={items}
      columns={showHost ? [when, hostColumn, ...columns] : [when, ...columns]}
      caption={caption}
      rowKey={(d) => d.id}
    />
  );
}
