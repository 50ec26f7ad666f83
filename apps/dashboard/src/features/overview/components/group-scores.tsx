import { Link } from 'react-router';
import { ScoreBadge } from '@/components/badges';
import { formatCount } from '@/lib/format';
import type { FleetSummary } from '@plumbline/protocol/api';

export function GroupScores({ groups }: { groups: FleetSummary['groups'] }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Score per group</caption>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col" className="num">
              Hosts
            </th>
            <th scope="col" className="num">
              Offline
            </th>
            <th scope="col" className="num">
              Score
            </th>
            <th scope="col" className="num">
              With waivers
            </th>
            <th scope="col" className="num">
              Failures
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.name ?? ''}>
              <th scope="row" className="cell-primary">
                {g.name ? <Link to={`/hosts?group=${encodeURIComponent(g.name)}`}>{g.name}</Link> : <span className="muted">No group</span>}
              </th>
              <td className="num">{formatCount(g.hosts)}</td>
              <td className="num">{formatCount(g.offline)}</td>
              <td className="num">
                <ScoreBadge score={g.score} />
              </td>
              <td className="num">
                <ScoreBadge score={g.scoreWithWaivers} />
              </td>
              <td className="num">{formatCount(g.counts.fail)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
