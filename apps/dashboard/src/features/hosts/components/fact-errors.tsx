import type { HostDetail } from '@plumbline/protocol/api';

/** Collector errors: a fact the agent could not read is a warning, never a pass or fail. */
export function FactErrors({ errors }: { errors: HostDetail['factErrors'] }) {
  const entries = Object.entries(errors ?? {});
  if (entries.length === 0) return null;
  return (
    <div className="callout callout-warning" role="status">
      <p className="callout-title">
        {entries.length === 1 ? '1 fact could not be collected' : `${entries.length} facts could not be collected`}
      </p>
      <ul className="callout-list">
        {entries.map(([fact, err]) => (
          <li key={fact}>
            <code>{fact}</code>: {err.message}{' '}
            <span className="muted small mono">
              {err.code}
              {err.path ? ` · ${err.path}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
