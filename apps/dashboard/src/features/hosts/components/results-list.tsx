import type { ResultItem } from '@plumbline/protocol/api';
import { useMemo, useState, type ReactNode } from 'react';
import { ResultBadge, SeverityBadge } from '@/components/badges';
import { ResultDetail } from './result-detail';

interface SectionGroup {
  id: string;
  name: string;
  results: ResultItem[];
  failing: number;
}

/** Sections with failures first (most first), then by section number (1.2 before 1.10). */
export function groupBySection(results: ResultItem[]): SectionGroup[] {
  const map = new Map<string, SectionGroup>();
  for (const r of results) {
    const g = map.get(r.section.id) ?? { id: r.section.id, name: r.section.name, results: [], failing: 0 };
    g.results.push(r);
    if (r.status === 'fail' && !r.waived) g.failing += 1;
    map.set(r.section.id, g);
  }
  return [...map.values()].sort((a, b) => b.failing - a.failing || a.id.localeCompare(b.id, undefined, { numeric: true }));
}

function ResultRow({ result, actions }: { result: ResultItem; actions?: (r: ResultItem) => ReactNode }) {
  // The body renders only once opened: a few hundred results stay cheap, and a live
  // refetch keeps this state because the row's key (the rule id) does not change.
  const [open, setOpen] = useState(false);
  const source = result.status === 'fail' ? result.evidence.find((e) => e.source)?.source : undefined;
  return (
    <li className={`result result-${result.waived ? 'waived' : result.status}`}>
      <details open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>
          <ResultBadge status={result.status} waived={result.waived} />
          <span className="result-title">{result.title}</span>
          <SeverityBadge severity={result.severity} />
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

export function ResultsList({ results, actions }: { results: ResultItem[]; actions?: (r: ResultItem) => ReactNode }) {
  const groups = useMemo(() => groupBySection(results), [results]);
  return (
    <div className="result-sections">
      {groups.map((g) => (
        <section key={g.id} className="result-section" aria-labelledby={`section-${g.id}`}>
          <h3 id={`section-${g.id}`}>
            <span className="mono">{g.id}</span> {g.name}{' '}
            <span className="muted small">
              {g.failing > 0 ? `${g.failing} failing of ${g.results.length}` : `${g.results.length} results`}
            </span>
          </h3>
          <ul className="result-list">
            {g.results.map((r) => (
              <ResultRow key={r.ruleId} result={r} actions={actions} />
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
