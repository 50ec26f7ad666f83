import { formatCount } from '@/lib/format';

export function Pagination({
  offset,
  limit,
  total,
  shown,
  onChange,
  label,
}: {
  offset: number;
  limit: number;
  total: number;
  shown: number;
  onChange: (offset: number) => void;
  label: string;
}) {
  const first = total === 0 ? 0 : offset + 1;
  const last = offset + shown;
  const page = Math.floor(offset / limit) + 1;
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pagination" aria-label={label}>
      <span className="pagination-info" aria-live="polite">
        {formatCount(first)}–{formatCount(last)} of {formatCount(total)}
      </span>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onChange(0)}>
        First
      </button>
      <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - limit))}>
        Previous
      </button>
      <span className="pagination-page">
        Page {page} of {pages}
      </span>
      <button type="button" className="btn btn-small" disabled={offset + limit >= total} onClick={() => onChange(offset + limit)}>
        Next
      </button>
    </nav>
  );
}
