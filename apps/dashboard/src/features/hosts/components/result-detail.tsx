import type { ResultItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { CodeBlock } from '@/components/copy-button';
import { column, DataTable, type Column } from '@/components/data-table';
import { AbsoluteTime } from '@/components/relative-time';
import { toAnsibleYaml } from '../utils/ansible-task';

const REFERENCE_LABELS: Record<string, string> = {
  cis: 'CIS',
  ssg: 'SSG',
  nist: 'NIST 800-53',
  iso27001: 'ISO 27001',
  jcstar: 'JC-STAR',
};

export function References({ references }: { references: Record<string, string[]> }) {
  const entries = Object.entries(references).filter(([, v]) => v.length > 0);
  if (entries.length === 0) return <p className="muted">No references.</p>;
  return (
    <dl className="refs">
      {entries.map(([k, v]) => (
        <div key={k}>
          <dt>{REFERENCE_LABELS[k] ?? k}</dt>
          <dd className="mono">{v.join(', ')}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Remediation({ remediation }: { remediation: ResultItem['remediation'] }) {
  const { shell, ansible } = remediation;
  if (!shell && ansible === undefined) return <p className="muted">No remediation is given for this rule.</p>;
  return (
    <div className="remediation">
      {shell ? <CodeBlock code={shell} label="Shell remediation" /> : null}
      {ansible !== undefined ? <CodeBlock code={toAnsibleYaml(ansible)} label="Ansible task" /> : null}
    </div>
  );
}

type EvidenceItem = ResultItem['evidence'][number];

const evidenceColumns: Column<EvidenceItem>[] = [
  column('Observed', (e) => e.observed, { className: 'mono cell-value' }),
  column('Expected', (e) => e.expected, { className: 'mono cell-value' }),
  column('Source', (e) => e.source ?? '—', { className: 'mono muted-strong' }),
];

export function Evidence({ evidence }: { evidence: ResultItem['evidence'] }) {
  if (evidence.length === 0) return <p className="muted">No evidence recorded.</p>;
  return (
    <DataTable
      items={evidence}
      columns={evidenceColumns}
      caption="Evidence: observed against expected"
      rowKey={(e, i) => `${i}-${e.source ?? ''}`}
      compact
    />
  );
}

/** The body of an expanded result: why it matters, what was seen where, how to fix it. */
export function ResultDetail({ result }: { result: ResultItem }) {
  return (
    <div className="result-detail">
      <Evidence evidence={result.evidence} />
      {result.waiver ? (
        <div className="callout callout-waived">
          <p className="callout-title">
            Waived until <AbsoluteTime iso={result.waiver.expiresAt} />
          </p>
          <p>
            {result.waiver.justification} <span className="muted small">— approved by {result.waiver.approver}</span>
          </p>
        </div>
      ) : null}
      <h4>Rationale</h4>
      <p>{result.rationale}</p>
      <h4>Remediation</h4>
      <Remediation remediation={result.remediation} />
      <h4>References</h4>
      <References references={result.references} />
      <p className="small muted">
        {result.firstFailedAt ? (
          <>
            Failing since <AbsoluteTime iso={result.firstFailedAt} /> ·{' '}
          </>
        ) : null}
        Last changed <AbsoluteTime iso={result.changedAt} /> · Levels {result.levels.join(', ') || '—'} ·{' '}
        <Link to={`/rules/${encodeURIComponent(result.ruleId)}`}>Every host and this rule</Link>
      </p>
    </div>
  );
}
