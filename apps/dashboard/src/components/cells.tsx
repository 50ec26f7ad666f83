import { formatValue } from '@/lib/format';
import { AbsoluteTime, RelativeTime } from './relative-time';

/** An empty cell that says so. */
export function Dash({ text = '—' }: { text?: string }) {
  return <span className="muted">{text}</span>;
}

/** "3 min ago" over the exact local time; a dash when there is no time. */
export function WhenCell({ iso }: { iso: string | null }) {
  if (!iso) return <Dash />;
  return (
    <>
      <RelativeTime iso={iso} />
      <div className="small muted">
        <AbsoluteTime iso={iso} />
      </div>
    </>
  );
}

/** A JSON value in one line, clamped; the whole text on hover when it is long. */
export function ValueCell({ value, absent = '—' }: { value: unknown; absent?: string }) {
  if (value === undefined || value === null) return <Dash text={absent} />;
  const text = formatValue(value);
  return (
    <span className="mono clamp" title={text.length > 60 ? text : undefined}>
      {text}
    </span>
  );
}
