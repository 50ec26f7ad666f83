import { AbsoluteTime } from '@/components/relative-time';
import { formatValue } from '@/lib/format';
import type { AuditEntry } from '@plumbline/protocol/access';

export function AuditTable({ items }: { items: AuditEntry[] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Audit trail, newest first</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              #
            </th>
            <th scope="col">When</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Target</th>
            <th scope="col">Details</th>
            <th scope="col">Hash</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const details = e.details === null || e.details === undefined ? '' : formatValue(e.details);
            return (
              <tr key={e.seq}>
                <td className="num mono">{e.seq}</td>
                <td className="nowrap">
                  <AbsoluteTime iso={e.at} />
                </td>
                <td>{e.actor}</td>
                <td className="mono">{e.action}</td>
                <td className="mono small">{e.target ?? '—'}</td>
                <td>
                  <span className="mono small clamp clamp-wide" title={details.length > 80 ? details : undefined}>
                    {details || '—'}
                  </span>
                </td>
                <td className="mono small muted" title={e.hash}>
                  {e.hash.slice(0, 12)}…
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
