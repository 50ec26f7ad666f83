import { useId } from 'react';
import { useSearchParams } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useSummary } from '@/features/overview/api/get-summary';
import { TopFailingRules } from '@/features/overview/components/top-failing-rules';
import { useRules, type RuleListParams } from '@/features/rules/api/get-rules';
import { RulesTable } from '@/features/rules/components/rules-table';
import { formatCount } from '@/lib/format';

const PAGE = 100;
const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const PROFILES = ['cis-l1-server', 'cis-l2-server', 'edge-device'];
const SORTS: { id: NonNullable<RuleListParams['sort']>; label: string }[] = [
  { id: 'failingHosts', label: 'Most failing first' },
  { id: 'severity', label: 'Most severe first' },
  { id: 'id', label: 'By id' },
];

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
  const severity = SEVERITIES.includes(params.get('severity') ?? '') ? (params.get('severity') as string) : '';
  const profile = PROFILES.includes(params.get('profile') ?? '') ? (params.get('profile') as string) : '';
  const section = (params.get('section') ?? '').slice(0, 32);
  const sortParam = params.get('sort');
  const sort = SORTS.find((s) => s.id === sortParam)?.id ?? 'failingHosts';
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  const rules = useRules({ q, limit: PAGE, offset, severity, section, profile, sort });
  const filtered = Boolean(q || severity || profile || section);
  // Filters live in the URL (shareable); a change of filter goes back to the first page.
  const set = (patch: Record<string, string>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(patch)) {
          if (v && v !== '0' && !(k === 'sort' && v === 'failingHosts')) next.set(k, v);
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
          <div className="toolbar" role="group" aria-label="Filter rules">
            <div className="field field-inline">
              <label htmlFor={`${id}-q`}>Find a rule</label>
              <input id={`${id}-q`} type="search" value={q} onChange={(e) => set({ q: e.target.value, offset: '' })} placeholder="id, title or reference" />
            </div>
            <div className="field field-inline">
              <label htmlFor={`${id}-severity`}>Severity</label>
              <select id={`${id}-severity`} value={severity} onChange={(e) => set({ severity: e.target.value, offset: '' })}>
                <option value="">Any</option>
                {SEVERITIES.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-inline">
              <label htmlFor={`${id}-profile`}>Profile</label>
              <select id={`${id}-profile`} value={profile} onChange={(e) => set({ profile: e.target.value, offset: '' })}>
                <option value="">Any</option>
                {PROFILES.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
            <div className="field field-inline">
              <label htmlFor={`${id}-section`}>Section</label>
              <input id={`${id}-section`} value={section} onChange={(e) => set({ section: e.target.value.trim(), offset: '' })} placeholder="e.g. 5.2" size={8} className="mono" />
            </div>
            <div className="field field-inline">
              <label htmlFor={`${id}-sort`}>Order</label>
              <select id={`${id}-sort`} value={sort} onChange={(e) => set({ sort: e.target.value, offset: '' })}>
                {SORTS.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </div>
            {filtered ? (
              <button type="button" className="btn btn-small" onClick={() => set({ q: '', severity: '', profile: '', section: '', offset: '' })}>
                Clear filters
              </button>
            ) : null}
          </div>
          {rules.isPending ? (
            <LoadingState label="Loading rules…" />
          ) : rules.isError ? (
            <ErrorState error={rules.error} onRetry={() => void rules.refetch()} />
          ) : rules.data.items.length === 0 ? (
            <EmptyState title={filtered ? 'No rule matches these filters' : 'No rules loaded'} />
          ) : (
            <>
              <RulesTable rules={rules.data.items} caption={`Rules, ${SORTS.find((s) => s.id === sort)?.label.toLowerCase()}`} />
              <Pagination label="Rules pages" offset={offset} limit={PAGE} total={rules.data.total} shown={rules.data.items.length} onChange={(o) => set({ offset: String(o) })} />
            </>
          )}
        </>
      )}
    </>
  );
}
