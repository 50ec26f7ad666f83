import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { formatCount } from '@/lib/format';
import type { RuleItem } from '@plumbline/protocol/api';

const REFERENCE_ORDER: [string, string][] = [
  ['cis', 'CIS'],
  ['nist', 'NIST'],
  ['iso27001', 'ISO'],
  ['jcstar', 'JC-STAR'],
  ['ssg', 'SSG'],
];

/** The framework references in one cell: short labels, every id (an auditor searches by them). */
function ReferenceCell({ references }: { references: Record<string, string[]> }) {
  const known = new Set(REFERENCE_ORDER.map(([k]) => k));
  const rows = [...REFERENCE_ORDER, ...Object.keys(references).filter((k) => !known.has(k)).map((k): [string, string] => [k, k])].filter(
    ([k]) => (references[k] ?? []).length > 0,
  );
  if (rows.length === 0) return <span className="muted">none</span>;
  return (
    <dl className="refs refs-compact">
      {rows.map(([k, label]) => (
        <div key={k}>
          <dt>{label}</dt>
          <dd className="mono">{(references[k] ?? []).join(', ')}</dd>
        </div>
      ))}
    </dl>
  );
}

export function RulesTable({ rules, caption }: { rules: RuleItem[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Section</th>
            <th scope="col">Severity</th>
            <th scope="col">References</th>
            <th scope="col">Profiles</th>
            <th scope="col" className="num">
              Failing
            </th>
            <th scope="col" className="num">
              Passing
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.map((r) => (
            <tr key={r.id}>
              <th scope="row" className="cell-primary">
                <Link to={`/rules/${encodeURIComponent(r.id)}`}>{r.title}</Link>
                <div className="mono small muted">{r.id}</div>
              </th>
              <td>
                <span className="mono">{r.section.id}</span> {r.section.name}
              </td>
              <td>
                <SeverityBadge severity={r.severity} />
              </td>
              <td className="small">
                <ReferenceCell references={r.references} />
              </td>
              <td className="mono small">{r.profiles?.length ? r.profiles.join(', ') : <span className="muted">none</span>}</td>
              <td className="num">
                {r.failingHosts ? <Link to={`/rules/${encodeURIComponent(r.id)}`}>{formatCount(r.failingHosts)}</Link> : formatCount(0)}
              </td>
              <td className="num">{formatCount(r.passingHosts ?? 0)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
