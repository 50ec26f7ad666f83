import type { BaselineFactDifference, BaselineVerdictDifference, BaselineComparison as Comparison } from '@plumbline/protocol/api';
import { useId, useState } from 'react';
import { ResultBadge } from '@/components/badges';
import { Dash, ValueCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
import { Pagination } from '@/components/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useBaselineComparison } from '../api/get-baseline-comparison';

const PAGE = 50;

function Verdict({ status }: { status: string | null }) {
  return status ? <ResultBadge status={status} /> : <Dash text="not evaluated" />;
}

const verdictColumns: Column<BaselineVerdictDifference>[] = [
  column('Rule', (v) => (
    <>
      {v.title ?? v.ruleId}
      <div className="mono small muted">{v.ruleId}</div>
    </>
  )),
  column('Baseline', (v) => <Verdict status={v.baseline} />),
  column('Current', (v) => <Verdict status={v.current} />),
];

const factColumns: Column<BaselineFactDifference>[] = [
  column('Fact path', (d) => (
    <span className="mono clamp clamp-wide" title={d.path}>
      {d.path}
    </span>
  )),
  column('Baseline', (d) => <ValueCell value={d.baseline} absent="absent" />),
  column('Current', (d) => <ValueCell value={d.current} absent="absent" />),
];

function Differences({ comparison }: { comparison: Comparison }) {
  const { facts, verdicts } = comparison;
  return (
    <>
      {verdicts.total > 0 ? (
        <DataTable
          items={verdicts.items}
          columns={verdictColumns}
          caption={`Rule verdicts that differ from the baseline (${formatCount(verdicts.total)})`}
          showCaption
          rowKey={(v) => v.ruleId}
        />
      ) : null}
      {facts.total > 0 ? (
        <DataTable
          items={facts.items}
          columns={factColumns}
          caption={`Facts that differ from the baseline (${formatCount(facts.total)})`}
          showCaption
          rowKey={(d, i) => `${d.path}-${i}`}
        />
      ) : null}
    </>
  );
}

/** "Compare with baseline": the host's own baseline, or its group's golden host's. */
export function BaselineComparisonView({ hostId, group, hasOwn }: { hostId: string; group: string | null; hasOwn: boolean }) {
  const id = useId();
  const [against, setAgainst] = useState<'own' | 'group'>(hasOwn || !group ? 'own' : 'group');
  const [offset, setOffset] = useState(0);
  const query = useBaselineComparison(hostId, { against, limit: PAGE, offset });
  const total = query.data?.kind === 'compared' ? Math.max(query.data.comparison.facts.total, query.data.comparison.verdicts.total) : 0;
  const shown =
    query.data?.kind === 'compared' ? Math.max(query.data.comparison.facts.items.length, query.data.comparison.verdicts.items.length) : 0;

  return (
    <div className="subsection baseline-compare" aria-labelledby={`${id}-title`} role="region">
      <h3 id={`${id}-title`}>Compare with baseline</h3>
      <div className="field field-inline">
        <label htmlFor={`${id}-against`}>Compare with</label>
        <select
          id={`${id}-against`}
          value={against}
          onChange={(e) => {
            setAgainst(e.target.value as 'own' | 'group');
            setOffset(0);
          }}
        >
          <option value="own">This host's baseline</option>
          <option value="group" disabled={!group}>
            {group ? `Golden host of group ${group}` : 'Golden host of its group (no group)'}
          </option>
        </select>
      </div>
      {query.isPending ? (
        <LoadingState label="Comparing with the baseline…" />
      ) : query.isError ? (
        <ErrorState title="Could not compare with the baseline" error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.kind === 'none' ? (
        <EmptyState title="Nothing to compare with">{query.data.reason}.</EmptyState>
      ) : query.data.comparison.facts.total + query.data.comparison.verdicts.total === 0 ? (
        <div role="status">
          <EmptyState title="No differences from the baseline">
            Facts and rule verdicts match the baseline of {query.data.comparison.baseline.hostname}.
          </EmptyState>
        </div>
      ) : (
        <>
          <p role="status">
            {formatCount(query.data.comparison.verdicts.total)} rule verdict and {formatCount(query.data.comparison.facts.total)} fact
            differences from the baseline of {query.data.comparison.baseline.hostname}.
          </p>
          <Differences comparison={query.data.comparison} />
          {total > PAGE ? (
            <Pagination label="Baseline differences pages" offset={offset} limit={PAGE} total={total} shown={shown} onChange={setOffset} />
          ) : null}
        </>
      )}
    </div>
  );
}
