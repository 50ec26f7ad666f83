import { Link } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { Dash } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
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
  const rows = [
    ...REFERENCE_ORDER,
    ...Object.keys(references)
      .filter((k) => !known.has(k))
      .map((k): [string, string] => [k, k]),
  ].filter(([k]) => (references[k] ?? []).length > 0);
  if (rows.length === 0) return <Dash text="none" />;
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

const ruleLink = (r: RuleItem) => `/rules/${encodeURIComponent(r.id)}`;

const columns: Column<RuleItem>[] = [
  column(
    'Rule',
    (r) => (
      <>
        <Link to={ruleLink(r)}>{r.title}</Link>
        <div className="mono small muted">{r.id}</div>
      </>
    ),
    { rowHeader: true },
  ),
  column('Section', (r) => (
    <>
      <span className="mono">{r.section.id}</span> {r.section.name}
    </>
  )),
  column('Severity', (r) => <SeverityBadge severity={r.severity} />),
  column('References', (r) => <ReferenceCell references={r.references} />, { className: 'small' }),
  column('Profiles', (r) => (r.profiles.length > 0 ? r.profiles.join(', ') : <Dash text="none" />), { className: 'mono small' }),
  column('Failing', (r) => (r.failingHosts ? <Link to={ruleLink(r)}>{formatCount(r.failingHosts)}</Link> : formatCount(0)), { num: true }),
  column('Passing', (r) => formatCount(r.passingHosts), { num: true }),
];

export function RulesTable({ rules, caption }: { rules: RuleItem[]; caption: string }) {
  return <DataTable items={rules} columns={columns} caption={caption} rowKey={(r) => r.id} />;
}
