import { Link } from 'react-router';
import { ResultBadge, ScoreBadge } from '@/components/badges';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { OnlineBadge } from '@/components/status-badge';
import type { RuleHostItem } from '@plumbline/protocol/api';

export function RuleHostsTable({ items, caption }: { items: RuleHostItem[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Host</th>
            <th scope="col">Group</th>
            <th scope="col">Result</th>
            <th scope="col">Failing since</th>
            <th scope="col">Last changed</th>
            <th scope="col" className="num">
              Host score
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr key={i.host.id}>
              <th scope="row" className="cell-primary">
                <Link to={`/hosts/${encodeURIComponent(i.host.id)}`}>{i.host.hostname}</Link>
              </th>
              <td>{i.host.group ?? <span className="muted">—</span>}</td>
              <td>
                <ResultBadge status={i.status} />
              </td>
              <td className="nowrap">
                {i.firstFailedAt ? (
                  <>
                    <RelativeTime iso={i.firstFailedAt} />
                    <div className="small muted">
                      <AbsoluteTime iso={i.firstFailedAt} />
                    </div>
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className="nowrap">
                <RelativeTime iso={i.changedAt} />
              </td>
              <td className="num">
                <ScoreBadge score={(i.host as { score?: number | null }).score} />
              </td>
              <td>
                <OnlineBadge online={i.host.online} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
