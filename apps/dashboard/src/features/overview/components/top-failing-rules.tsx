import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';
import type { FleetSummary } from '@plumbline/protocol/api';

export function TopFailingRules({ rules }: { rules: FleetSummary['topFailingRules'] }) {
  if (rules.length === 0) return <EmptyState title="No rule fails on any host" />;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Rules failing on the most hosts</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Severity</th>
            <th scope="col" className="num">
              Hosts failing
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.ruleId}>
              <th scope="row" className="cell-primary">
                <Link to={`/rules/${encodeURIComponent(r.ruleId)}`}>{r.title}</Link>
                <div className="mono small muted">{r.ruleId}</div>
              </th>
              <td>
                <SeverityBadge severity={r.severity} />
              </td>
              <td className="num">{formatCount(r.hosts)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
