import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { RelativeTime } from '@/components/relative-time';
import { formatCount } from '@/lib/format';
import { SortHeader, type SortOrder } from '@/components/sort-header';
import { OnlineBadge } from '@/components/status-badge';
import type { HostSummary, SeverityCounts } from '@plumbline/protocol/api';
import { FailureCounts } from '@/components/failure-counts';
import { HostIdentityBadges } from './host-identity';

export function HostsTable({
  hosts,
  sort,
  order,
  onSort,
  busy,
  failures,
  selection,
}: {
  /** Checkboxes for bulk changes: which rows are checked, and how to toggle one or all shown. */
  selection?: { isSelected: (id: string) => boolean; toggle: (id: string) => void; toggleAll: (ids: string[], on: boolean) => void };
  hosts: HostSummary[];
  /** Failures by severity per host id, once loaded. */
  failures?: Map<string, SeverityCounts>;
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
            {selection ? (
              <th scope="col" className="cell-check">
                <input
                  type="checkbox"
                  aria-label="Select every host on this page"
                  checked={hosts.length > 0 && hosts.every((h) => selection.isSelected(h.id))}
                  onChange={(e) =>
                    selection.toggleAll(
                      hosts.map((h) => h.id),
                      e.target.checked,
                    )
                  }
                />
              </th>
            ) : null}
            <SortHeader label="Hostname" field="hostname" {...header} />
            <th scope="col">Group</th>
            <th scope="col">Tags</th>
            <SortHeader label="OS" field="os" {...header} />
            <SortHeader label="Score" field="score" {...header} />
            <th scope="col" className="num">
              With waivers
            </th>
            <SortHeader label="Failing" field="failCount" {...header} />
            <th scope="col" className="num">
              By severity
            </th>
            <th scope="col">Status</th>
            <SortHeader label="Last seen" field="lastSeenAt" {...header} />
          </tr>
        </thead>
        <tbody>
          {hosts.map((host) => (
            <tr key={host.id}>
              {selection ? (
                <td className="cell-check">
                  <input
                    type="checkbox"
                    aria-label={`Select ${host.hostname}`}
                    checked={selection.isSelected(host.id)}
                    onChange={() => selection.toggle(host.id)}
                  />
                </td>
              ) : null}
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
              <td className="num">
                {failures?.get(host.id) ? (
                  <FailureCounts counts={failures.get(host.id) as SeverityCounts} />
                ) : (
                  <span className="muted">…</span>
                )}
              </td>
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
