import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { RelativeTime } from '@/components/relative-time';
import { formatCount } from '@/lib/format';
import { SortHeader, type SortOrder } from '@/components/sort-header';
import { OnlineBadge } from '@/components/status-badge';
import type { HostSummary } from '@plumbline/protocol/api';
import { HostIdentityBadges } from './host-identity';

export function HostsTable({
  hosts,
  sort,
  order,
  onSort,
  busy,
}: {
  hosts: HostSummary[];
  sort: string;
  order: SortOrder;
  onSort: (field: string, order: SortOrder) => void;
  busy: boolean;
}) {
  const header = { sort, order, onSort };
  return (
    <div className="table-wrap">
      <table className="table" aria-busy={busy}>
        <caption className="visually-hidden">
          Hosts, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}
        </caption>
        <thead>
          <tr>
            <SortHeader label="Hostname" field="hostname" {...header} />
            <th scope="col">Group</th>
            <th scope="col">Tags</th>
            <SortHeader label="OS" field="os" {...header} />
            <SortHeader label="Score" field="score" {...header} />
            <th scope="col" className="num">
              With waivers
            </th>
            <SortHeader label="Failing" field="failCount" {...header} />
            <th scope="col">Status</th>
            <SortHeader label="Last seen" field="lastSeenAt" {...header} />
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <tr key={host.id}>
              <th scope="row" className="cell-primary">
                <Link to={`/hosts/${encodeURIComponent(host.id)}`}>{host.hostname}</Link>
                <HostIdentityBadges host={host} />
              </th>
              <td>{host.group ?? <span className="muted">—</span>}</td>
              <td>
                {host.tags.length > 0 ? (
                  <ul className="tag-list" aria-label="Tags">
                    {host.tags.map((t) => (
                      <li key={t} className="badge badge-neutral">
                        {t}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>{host.os ?? <span className="muted">unknown</span>}</td>
              <td className="num">
                <ScoreBadge score={host.score} />
              </td>
              <td className="num">
                <ScoreBadge score={host.scoreWithWaivers} />
                {host.counts.waived > 0 ? <div className="muted small">{formatCount(host.counts.waived)} waived</div> : null}
              </td>
              <td className="num">{formatCount(host.counts.fail)}</td>
              <td>
                <OnlineBadge online={host.online} />
              </td>
              <td className="nowrap">
                <RelativeTime iso={host.lastSeenAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
