import type { DriftItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { WhenCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { afterText, beforeText, directionOf, readablePath, whereOf, type ReadableDriftItem } from '../utils/readable';

const DIRECTION = {
  regression: { label: 'Regression', tone: 'bad' },
  improvement: { label: 'Improvement', tone: 'ok' },
  change: { label: 'Change', tone: 'neutral' },
} as const;

/** Regression red, improvement green, other changes neutral; the word is always there too. */
export function DriftDirection({ direction }: { direction: string }) {
  const d = DIRECTION[directionOf(direction)];
  return <span className={`badge badge-${d.tone}`}>{d.label}</span>;
}

/** A rule on a host: the host page, scrolled to the rule and opened. */
const ruleOnHost = (d: DriftItem) =>
  `/hosts/${encodeURIComponent(d.hostId)}?rule=${encodeURIComponent(d.ruleId ?? '')}#rule-${encodeURIComponent(d.ruleId ?? '')}`;

const hostColumn = column<DriftItem>('Host', (d) => (
  <>
    <Link to={`/hosts/${encodeURIComponent(d.hostId)}`}>{d.hostname}</Link>
    {d.group ? <div className="small muted">{d.group}</div> : null}
  </>
));

function What({ d }: { d: ReadableDriftItem }) {
  const where = whereOf(d);
  return (
    <>
      {d.ruleId ? (
        <Link to={ruleOnHost(d)}>{d.ruleTitle ?? d.ruleId}</Link>
      ) : (
        <span className="drift-path" title={d.path ?? undefined}>
          {readablePath(d.path)}
        </span>
      )}
      <div className="small muted">
        {d.kind}
        {where ? <span className="mono"> · {where}</span> : null}
        {d.baseline === 'differs' ? <span className="badge badge-warn drift-marker">differs from baseline</span> : null}
        {d.baseline === 'restored' ? <span className="badge badge-neutral drift-marker">back to baseline</span> : null}
      </div>
    </>
  );
}

function Change({ d }: { d: ReadableDriftItem }) {
  return (
    <>
      <span className="drift-change">
        <span className="drift-before">{beforeText(d)}</span>
        <span aria-hidden="true"> → </span>
        <span className="visually-hidden">changed to</span>
        <strong className="drift-after">{afterText(d)}</strong>
      </span>
      {d.before !== null && typeof d.before === 'object' ? (
        <Structure d={d} />
      ) : d.after !== null && typeof d.after === 'object' ? (
        <Structure d={d} />
      ) : null}
    </>
  );
}

/** The structured values behind the readable text, on demand. */
function Structure({ d }: { d: DriftItem }) {
  return (
    <details className="drift-structure">
      <summary className="small">Details</summary>
      <dl>
        <dt>Path</dt>
        <dd className="mono">{d.path ?? '—'}</dd>
        <dt>Before</dt>
        <dd>
          <pre className="mono small">{JSON.stringify(d.before, null, 2) ?? 'absent'}</pre>
        </dd>
        <dt>After</dt>
        <dd>
          <pre className="mono small">{JSON.stringify(d.after, null, 2) ?? 'absent'}</pre>
        </dd>
      </dl>
    </details>
  );
}

const columns: Column<DriftItem>[] = [
  column('What', (d) => <What d={d} />),
  column('Change', (d) => <Change d={d} />),
  column('Direction', (d) => <DriftDirection direction={d.direction} />),
  column('Severity', (d) => <SeverityBadge severity={d.severity} />),
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
