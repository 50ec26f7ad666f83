import type { DriftItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { DirectionBadge, SeverityBadge } from '@/components/badges';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { formatValue } from '@/lib/format';

function Value({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <span className="muted">—</span>;
  const text = formatValue(value);
  return (
    <span className="mono clamp" title={text.length > 60 ? text : undefined}>
      {text}
    </span>
  );
}

/** What changed, on which host, from what to what, and when (newest first). */
export function DriftTable({ items, showHost = true, caption }: { items: DriftItem[]; showHost?: boolean; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            {showHost ? <th scope="col">Host</th> : null}
            <th scope="col">Kind</th>
            <th scope="col">What</th>
            <th scope="col">Severity</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {items.map((d) => (
            <tr key={d.id}>
              <td className="nowrap">
                <RelativeTime iso={d.observedAt} />
                <div className="small muted">
                  <AbsoluteTime iso={d.observedAt} />
                </div>
              </td>
              {showHost ? (
                <td>
                  <Link to={`/hosts/${encodeURIComponent(d.hostId)}`}>{d.hostname}</Link>
                  {d.group ? <div className="small muted">{d.group}</div> : null}
                </td>
              ) : null}
              <td>
                <span className="mono small">{d.kind}</span> <DirectionBadge direction={d.direction} />
              </td>
              <td>
                {d.ruleId ? (
                  <Link to={`/rules/${encodeURIComponent(d.ruleId)}`}>{d.ruleTitle ?? d.ruleId}</Link>
                ) : (
                  <span className="mono clamp clamp-wide" title={d.path ?? undefined}>
                    {d.path || '—'}
                  </span>
                )}
              </td>
              <td>
                <SeverityBadge severity={d.severity} />
              </td>
              <td>
                <Value value={d.before} />
              </td>
              <td>
                <Value value={d.after} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
