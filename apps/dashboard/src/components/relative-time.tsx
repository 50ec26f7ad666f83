import { formatDateTime, formatRelative } from '@/lib/format';
import { useNow } from '@/lib/use-now';

/** "3 min ago", with the absolute local time on hover and for assistive tech. */
export function RelativeTime({ iso }: { iso: string | null | undefined }) {
  const now = useNow();
  if (!iso) return <span className="muted">never</span>;
  const absolute = formatDateTime(iso);
  return (
    <time dateTime={iso} title={absolute}>
      {formatRelative(iso, now)}
    </time>
  );
}

export function AbsoluteTime({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <span className="muted">—</span>;
  return <time dateTime={iso}>{formatDateTime(iso)}</time>;
}
