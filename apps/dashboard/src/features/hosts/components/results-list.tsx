import type { ResultItem } from '@plumbline/protocol/api';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ResultBadge, SeverityBadge } from '@/components/badges';
import { groupBySeverity, ruleAnchor } from '../utils/order-results';
import { ResultDetail } from './result-detail';

function ResultRow({ result, actions, focused }: { result: ResultItem; actions?: (r: ResultItem) => ReactNode; focused: boolean }) {
  // The body renders only once opened: a few hundred results stay cheap, and a live
  // refetch keeps this state because the row's key (the rule id) does not change.
  // A link to this rule (`?rule=<id>#rule-<id>`) opens it and scrolls it into view.
  const [open, setOpen] = useState(focused);
  const ref = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (!focused) return;
    setOpen(true);
    ref.current?.scrollIntoView({ block: 'start' });
    ref.current?.querySelector('summary')?.focus({ preventScroll: true });
  }, [focused]);
  const source = result.status === 'fail' ? result.evidence.find((e) => e.source)?.source : undefined;
  return (
    <li
      ref={ref}
      id={ruleAnchor(result.ruleId)}
      className={`result result-${result.waived ? 'waived' : result.status}${focused ? ' result-focused' : ''}`}
    >
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <ResultBadge status={result.status} waived={result.waived} />
          <span className="result-title">{result.title}</span>
          <SeverityBadge severity={result.severity} />
          <span className="small muted result-section-label" title={result.section.name}>
            §{result.section.id} {result.section.name}
          </span>
          <span className="mono small muted result-id">{result.ruleId}</span>
          {source ? <span className="mono small result-source">{source}</span> : null}
        </summary>
        {open ? (
          <>
            <ResultDetail result={result} />
            {actions ? <div className="result-actions">{actions(result)}</div> : null}
          </>
        ) : null}
      </details>
    </li>
  );
}

/** Results by severity (critical first), then by section; `focusRule` opens that rule and scrolls to it. */
export function ResultsList({
  results,
  actions,
  focusRule,
}: {
  results: ResultItem[];
  actions?: (r: ResultItem) => ReactNode;
  focusRule?: string;
}) {
  const groups = useMemo(() => groupBySeverity(results), [results]);
  return (
    <div className="result-sections">
      {groups.map((g) => (
        <section key={g.severity} className="result-section" aria-labelledby={`severity-${g.severity}`}>
          <h3 id={`severity-${g.severity}`}>
            <SeverityBadge severity={g.severity} />{' '}
            <span className="muted small">
              {g.failing > 0 ? `${g.failing} failing of ${g.results.length}` : `${g.results.length} results`}
            </span>
          </h3>
          <ul className="result-list">
            {g.results.map((r) => (
              <ResultRow key={r.ruleId} result={r} actions={actions} focused={r.ruleId === focusRule} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
