import { useState } from 'react';

const CHUNK = 200;

interface TreeProps {
  isExpanded: (path: string) => boolean;
  onToggle: (path: string) => void;
}

function summary(value: object): string {
  return Array.isArray(value) ? `[${value.length}]` : `{${Object.keys(value).length}}`;
}

function Leaf({ value }: { value: unknown }) {
  if (value === null) return <span className="json-null">null</span>;
  switch (typeof value) {
    case 'string':
      return <span className="json-string">&quot;{value}&quot;</span>;
    case 'number':
      return <span className="json-number">{value}</span>;
    case 'boolean':
      return <span className="json-boolean">{String(value)}</span>;
    default:
      return <span>{String(value)}</span>;
  }
}

function Node({ name, value, path, ...tree }: TreeProps & { name: string; value: unknown; path: string }) {
  if (value === null || typeof value !== 'object') {
    return (
      <li className="json-leaf">
        <span className="json-key">{name}</span>: <Leaf value={value} />
      </li>
    );
  }
  const open = tree.isExpanded(path);
  const empty = Object.keys(value).length === 0;
  return (
    <li>
      <button
        type="button"
        className="json-toggle"
        aria-expanded={empty ? undefined : open}
        disabled={empty}
        onClick={() => tree.onToggle(path)}
      >
        <span className="json-caret" aria-hidden="true">
          {empty ? '·' : open ? '▾' : '▸'}
        </span>
        <span className="json-key">{name}</span> <span className="json-summary">{summary(value)}</span>
      </button>
      {open && !empty ? <Children value={value} path={path} {...tree} /> : null}
    </li>
  );
}

function Children({ value, path, ...tree }: TreeProps & { value: object; path: string }) {
  const [limit, setLimit] = useState(CHUNK);
  const entries = Object.entries(value);
  return (
    <ul className="json-children">
      {entries.slice(0, limit).map(([k, v]) => (
        <Node key={k} name={k} value={v} path={`${path}/${k}`} {...tree} />
      ))}
      {entries.length > limit ? (
        <li>
          <button type="button" className="btn btn-small" onClick={() => setLimit((n) => n + CHUNK * 5)}>
            Show {Math.min(CHUNK * 5, entries.length - limit)} more of {entries.length - limit}
          </button>
        </li>
      ) : null}
    </ul>
  );
}

export function JsonTree({ value, ...tree }: TreeProps & { value: Record<string, unknown> }) {
  return (
    <ul className="json-tree" aria-label="Facts">
      {Object.entries(value).map(([k, v]) => (
        <Node key={k} name={k} value={v} path={`/${k}`} {...tree} />
      ))}
    </ul>
  );
}
