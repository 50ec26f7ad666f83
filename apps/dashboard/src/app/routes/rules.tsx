import { useId } from 'react';
import { Link, useSearchParams } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useSummary } from '@/features/overview/api/get-summary';
import { TopFailingRules } from '@/features/overview/components/top-failing-rules';
import { useRules } from '@/features/rules/api/get-rules';
import { formatCount } from '@/lib/format';

const PAGE = 100;

/** Until the server lists rules, the page shows the fleet's top failing rules. */
function Fallback() {
  const summary = useSummary();
  return (
    <Section title="Top failing rules" meta="the full catalogue needs a newer server">
      {summary.isPending ? (
        <LoadingState />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : (
        <TopFailingRules rules={summary.data.topFailingRules} />
      )}
    </Section>
  );
}

export function RulesRoute() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const rules = useRules({ q, limit: PAGE, offset });
  const set = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v && v !== '0') next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title="Rules" documentTitle="Rules">
        {rules.data ? <span className="page-count">{formatCount(rules.data.total)}</span> : null}
      </PageHeader>
      {rules.data === null ? (
        <Fallback />
      ) : (
        <>
          <div className="toolbar">
            <div className="field field-inline">
              <label htmlFor={`${id}-q`}>Find a rule</label>
              <input id={`${id}-q`} type="search" value={q} onChange={(e) => set({ q: e.target.value, offset: '' })} placeholder="id, title or reference" />
            </div>
          </div>
          {rules.isPending ? (
            <LoadingState label="Loading rules…" />
          ) : rules.isError ? (
            <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
          ) : rules.data.items.length === 0 ? (
            <EmptyState title="No rule matches" />
          ) : (
            <>
              <div className="table-wrap">
                <table className="table">
                  <caption className="visually-hidden">Rules, most failing first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Rule</th>
                      <th scope="col">Section</th>
                      <th scope="col">Severity</th>
                      <th scope="col" className="num">
                        Failing
                      </th>
                      <th scope="col" className="num">
                        Passing
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {rules.data.items.map((r) => (
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
                        <td className="num">{formatCount(r.failingHosts ?? 0)}</td>
                        <td className="num">{formatCount(r.passingHosts ?? 0)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <Pagination label="Rules pages" offset={offset} limit={PAGE} total={rules.data.total} shown={rules.data.items.length} onChange={(o) => set({ offset: String(o) })} />
            </>
          )}
        </>
      )}
    </>
  );
}
