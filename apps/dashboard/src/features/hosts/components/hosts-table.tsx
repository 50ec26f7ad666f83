import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { RelativeTime } from '@/components/relative-time';
import { formatCount } from '@/lib/format';
import { SortHeader, type SortOrder } from '@/components/sort-header';
import { OnlineBadge } from '@/components/status-badge';
import type { HostSummary } from '../api/types';

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
        <caption className="visually-hidden">Hosts, sorted by {sort} {order === 'asc' ? 'ascending' : 'descending'}</caption>
        <thead>
          <tr>
            <SortHeader label="Hostname" field="hostname" {...header} />
            <SortHeader label="Score" field="score" {...header} />
            <SortHeader label="Failing" field="failCount" {...header} />
            <SortHeader label="OS" field="os" {...header} />
            <th scope="col">Kernel</th>
            <th scope="col">Arch</th>
            <th scope="col">Agent</th>
            <th scope="col">Group</th>
            <SortHeader label="Last seen" field="lastSeenAt" {...header} />
            <SortHeader label="Enrolled" field="createdAt" {...header} />
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <tr key={host.id}>
              <th scope="row" className="cell-primary">
                <Link to={`/hosts/${encodeURIComponent(host.id)}`}>{host.hostname}</Link>
              </th>
              <td className="num">
                <ScoreBadge score={host.score} />
              </td>
              <td className="num">{host.counts ? formatCount(host.counts.fail) : '—'}</td>
              <td>{host.os ?? <span className="muted">unknown</span>}</td>
              <td className="mono">{host.kernel ?? '—'}</td>
              <td className="mono">{host.arch ?? '—'}</td>
              <td className="mono">{host.agentVersion ?? '—'}</td>
              <td>{host.group ?? <span className="muted">—</span>}</td>
              <td className="nowrap">
                <RelativeTime iso={host.lastSeenAt} />
              </td>
              <td className="nowrap">
                <RelativeTime iso={host.createdAt} />
              </td>
              <td>
                <OnlineBadge online={host.online} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
