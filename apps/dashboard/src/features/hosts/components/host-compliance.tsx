import type { ResultItem } from '@plumbline/protocol/api';
import { useId, useMemo, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { StackedBar } from '@/components/bar-chart';
import { QueryView } from '@/components/paged-table';
import { Section } from '@/components/section';
import { EmptyState } from '@/components/states';
import { formatCount, formatScore } from '@/lib/format';
import { scoreBand } from '@/lib/score-bands';
import { useHostResults } from '../api/get-host-results';
import type { HostDetail } from '@plumbline/protocol/api';
import { ResultsList } from './results-list';

const FILTERS = [
  { id: 'all', label: 'All' },
  { id: 'fail', label: 'Failing' },
  { id: 'waived', label: 'Waived' },
  { id: 'error', label: 'Error' },
  { id: 'pass', label: 'Passing' },
  { id: 'notapplicable', label: 'Not applicable' },
] as const;

function matches(r: ResultItem, status: string, q: string): boolean {
  // Waived failures stay under "Failing" (marked Waived), so waiving one does not make it vanish.
  if (status === 'fail' && r.status !== 'fail') return false;
  if (status === 'waived' && !r.waived) return false;
  if (status !== 'all' && status !== 'fail' && status !== 'waived' && r.status !== status) return false;
  if (q && !`${r.ruleId} ${r.title} ${r.section.name}`.toLowerCase().includes(q.toLowerCase())) return false;
  return true;
}

function count(results: ResultItem[]) {
  const c = { pass: 0, fail: 0, waived: 0, error: 0, notapplicable: 0 };
  for (const r of results) {
    if (r.waived) c.waived += 1;
    else c[r.status] += 1;
  }
  return c;
}

/** The host's score and its results by section; filters live in the URL (`status`, `rq`). */
export function HostCompliance({ host, actions }: { host: HostDetail; actions?: (r: ResultItem) => ReactNode }) {
  const ids = useId();
  const results = useHostResults(host.id);
  const [params, setParams] = useSearchParams();
  const q = params.get('rq') ?? '';
  // A link to one rule (`?rule=<id>`) shows it whatever its status.
  const focusRule = params.get('rule') ?? undefined;
  const set = (key: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true, preventScrollReset: true },
    );

  const items = results.data?.items;
  const counts = useMemo(() => count(items ?? []), [items]);
  // Failures by default (what needs doing); `status=all` shows every result, failures first.
  const focused = focusRule ? items?.find((r) => r.ruleId === focusRule) : undefined;
  const fallback = counts.fail + counts.waived > 0 && (!focused || focused.status === 'fail') ? 'fail' : 'all';
  const status = params.get('status') ?? fallback;
  const shown = useMemo(() => (items ?? []).filter((r) => matches(r, status, q)), [items, status, q]);

  return (
    <Section title="Compliance" meta={host.profile ? `profile ${host.profile}` : undefined}>
      <ul className="stats stats-compact" aria-label="Host score">
        <li className={`stat stat-${scoreBand(host.score)}`}>
          <div className="stat-link">
            <span className="stat-value">{formatScore(host.score)}</span>
            <span className="stat-label">Score</span>
          </div>
        </li>
        <li className={`stat stat-${scoreBand(host.scoreWithWaivers)}`}>
          <div className="stat-link">
            <span className="stat-value">{formatScore(host.scoreWithWaivers)}</span>
            <span className="stat-label">Score with waivers</span>
          </div>
        </li>
      </ul>
      <QueryView
        query={results}
        loading="Loading results…"
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No results yet">Results appear once the agent has sent its first snapshot.</EmptyState>}
      >
        {() => (
          <>
            <StackedBar
              label="Results on this host"
              parts={[
                { label: 'Pass', value: counts.pass, tone: 'ok' },
                { label: 'Fail', value: counts.fail, tone: 'bad' },
                { label: 'Waived', value: counts.waived, tone: 'waived' },
                { label: 'Error', value: counts.error, tone: 'warn' },
                { label: 'Not applicable', value: counts.notapplicable, tone: 'neutral' },
              ]}
            />
            <div className="toolbar">
              <div className="segmented" role="group" aria-label="Show results">
                {FILTERS.map((f) => (
                  <button key={f.id} type="button" aria-pressed={status === f.id} onClick={() => set('status', f.id)}>
                    {f.label}
                    {f.id !== 'all' ? (
                      <span className="muted small"> {formatCount(f.id === 'fail' ? counts.fail + counts.waived : counts[f.id])}</span>
                    ) : null}
                  </button>
                ))}
              </div>
              <div className="field field-inline">
                <label htmlFor={`${ids}-q`}>Find a rule</label>
                <input
                  id={`${ids}-q`}
                  type="search"
                  value={q}
                  onChange={(e) => set('rq', e.target.value)}
                  placeholder="id, title or section"
                />
              </div>
            </div>
            {shown.length === 0 ? (
              <EmptyState title="No results match these filters" />
            ) : (
              <ResultsList results={shown} actions={actions} focusRule={focusRule} />
            )}
          </>
        )}
      </QueryView>
    </Section>
  );
}
