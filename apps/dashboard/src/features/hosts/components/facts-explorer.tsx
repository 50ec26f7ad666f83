import { useId, useMemo, useState } from 'react';
import { Section } from '@/components/section';
import { EmptyState } from '@/components/states';
import { JsonTree } from './json-tree';
import { filterJson } from './json-filter';

type View = 'tree' | 'json';

/** Every fact, rendered generically, so new collectors show up without a dashboard change. */
export function FactsExplorer({ facts }: { facts: Record<string, unknown> | null }) {
  const id = useId();
  const [filter, setFilter] = useState('');
  const [view, setView] = useState<View>('tree');
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());

  const needle = filter.trim().toLowerCase();
  const shown = useMemo(() => (facts && needle ? filterJson(facts, needle) : facts), [facts, needle]);

  if (!facts || Object.keys(facts).length === 0) {
    return (
      <Section title="Facts explorer">
        <EmptyState title="No facts reported yet">Facts appear after the agent's first snapshot.</EmptyState>
      </Section>
    );
  }

  const toggle = (path: string) =>
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(path)) next.delete(path);
      else next.add(path);
      return next;
    });

  const expandAll = () => {
    const all = new Set<string>();
    const walk = (value: unknown, path: string) => {
      if (value && typeof value === 'object') {
        all.add(path);
        for (const [k, v] of Object.entries(value)) walk(v, `${path}/${k}`);
      }
    };
    for (const [k, v] of Object.entries(facts)) walk(v, `/${k}`);
    setExpanded(all);
  };

  return (
    <Section
      title="Facts explorer"
      meta={`${Object.keys(facts).length} facts`}
      actions={
        <>
          <div className="segmented" role="group" aria-label="Facts view">
            <button type="button" aria-pressed={view === 'tree'} onClick={() => setView('tree')}>
              Tree
            </button>
            <button type="button" aria-pressed={view === 'json'} onClick={() => setView('json')}>
              JSON
            </button>
          </div>
          {view === 'tree' ? (
            <>
              <button type="button" className="btn btn-small" onClick={expandAll} disabled={Boolean(needle)}>
                Expand all
              </button>
              <button type="button" className="btn btn-small" onClick={() => setExpanded(new Set())} disabled={Boolean(needle)}>
                Collapse all
              </button>
            </>
          ) : null}
        </>
      }
    >
      <div className="field field-inline">
        <label htmlFor={id}>Filter facts</label>
        <input
          id={id}
          type="search"
          placeholder="Key or value, e.g. permitrootlogin"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
        />
      </div>
      {shown === undefined || (shown && Object.keys(shown).length === 0) ? (
        <EmptyState title={`Nothing matches “${filter.trim()}”`} />
      ) : view === 'json' ? (
        <pre className="json-view" tabIndex={0} aria-label="Facts as JSON">
          {JSON.stringify(shown, null, 2)}
        </pre>
      ) : (
        <JsonTree value={shown as Record<string, unknown>} isExpanded={(path) => Boolean(needle) || expanded.has(path)} onToggle={toggle} />
      )}
    </Section>
  );
}
