import { useLiveStatus } from '../hooks/live-context';

const LABELS = { live: 'Live', connecting: 'Connecting…', disconnected: 'Disconnected' } as const;
const HINTS = {
  live: 'Receiving live updates from the server',
  connecting: 'Connecting to the live update feed',
  disconnected: 'Live updates paused; reconnecting automatically',
} as const;

export function LiveIndicator() {
  const status = useLiveStatus();
  return (
    <span className={`live live-${status}`} role="status" title={HINTS[status]} data-live-status={status}>
      <span className="live-dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}
