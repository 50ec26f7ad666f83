import type { BaselineComparison as Comparison } from '@plumbline/protocol/api';
import { useId, useState } from 'react';
import { ResultBadge } from '@/components/badges';
import { Pagination } from '@/components/pagination';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount, formatValue } from '@/lib/format';
import { useBaselineComparison } from '../api/get-baseline-comparison';

const PAGE = 50;

function Value({ value }: { value: unknown }) {
  if (value === undefined || value === null) return <span className="muted">absent</span>;
  const text = formatValue(value);
  return (
    <span className="mono clamp" title={text.length > 80 ? text : undefined}>
      {text}
    </span>
  );
}

function Verdict({ status }: { status: string | null }) {
  return status ? <ResultBadge status={status} /> : <span className="muted">not evaluated</span>;
}

function Differences({ comparison }: { comparison: Comparison }) {
  const { facts, verdicts } = comparison;
  return (
    <>
      {verdicts.total > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption>Rule verdicts that differ from the baseline ({formatCount(verdicts.total)})</caption>
            <thead>
              <tr>
                <th scope="col">Rule</th>
                <th scope="col">Baseline</th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {verdicts.items.map((v) => (
                <tr key={v.ruleId}>
                  <td>
                    {v.title ?? v.ruleId}
                    <div className="mono small muted">{v.ruleId}</div>
                  </td>
                  <td>
                    <Verdict status={v.baseline} />
                  </td>
                  <td>
                    <Verdict status={v.current} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {facts.total > 0 ? (
        <div className="table-wrap">
          <table className="table">
            <caption>Facts that differ from the baseline ({formatCount(facts.total)})</caption>
            <thead>
              <tr>
                <th scope="col">Fact path</th>
                <th scope="col">Baseline</th>
                <th scope="col">Current</th>
              </tr>
            </thead>
            <tbody>
              {facts.items.map((d, i) => (
                <tr key={`${d.path}-${i}`}>
                  <td>
                    <span className="mono clamp clamp-wide" title={d.path}>
                      {d.path}
                    </span>
                  </td>
                  <td>
                    <Value value={d.baseline} />
                  </td>
                  <td>
                    <Value value={d.current} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
  const shown = query.data?.kind === 'compared' ? Math.max(query.data.comparison.facts.items.length, query.data.comparison.verdicts.items.length) : 0;

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
            {formatCount(query.data.comparison.verdicts.total)} rule verdict and {formatCount(query.data.comparison.facts.total)} fact differences from the
            baseline of {query.data.comparison.baseline.hostname}.
          </p>
          <Differences comparison={query.data.comparison} />
          {total > PAGE ? <Pagination label="Baseline differences pages" offset={offset} limit={PAGE} total={total} shown={shown} onChange={setOffset} /> : null}
        </>
      )}
    </div>
  );
}
