import { buildUrl, type Query } from '@/lib/api-client';

/**
 * A link to the list as CSV, exactly as filtered: the list endpoint with `format=csv` and the
 * same filters (no paging: the whole list). The session cookie authenticates the download.
 */
export function DownloadCsv({ path, query, label = 'Download CSV' }: { path: string; query: Query; label?: string }) {
  return (
    <a className="btn btn-small" href={buildUrl(path, { ...query, format: 'csv' })} download>
      {label}
    </a>
  );
}
