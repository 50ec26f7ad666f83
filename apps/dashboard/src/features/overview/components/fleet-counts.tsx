import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useFleetCounts } from '../api/get-fleet-counts';

function Stat({ label, value, tone, to }: { label: string; value: number; tone: string; to: string }) {
  return (
    <li className={`stat stat-${tone}`}>
      <Link to={to} className="stat-link">
        <span className="stat-value">{formatCount(value)}</span>
        <span className="stat-label">{label}</span>
      </Link>
    </li>
  );
}

export function FleetCounts() {
  const counts = useFleetCounts();
  if (counts.isPending) return <LoadingState label="Counting hosts…" />;
  if (counts.isError) return <ErrorState error={counts.error} onRetry={() => void counts.refetch()} />;
  const { total, online, offline } = counts.data;
  if (total === 0) {
    return (
      <EmptyState title="No hosts enrolled yet">
        Create an enrollment token with <code>plumbline token create</code> and start an agent with{' '}
        <code>plumbline-agent run --server URL --token TOKEN</code>. Hosts appear here as soon as they
        connect.
      </EmptyState>
    );
  }
  return (
    <ul className="stats" aria-label="Fleet">
      <Stat label="Hosts" value={total} tone="neutral" to="/hosts" />
      <Stat label="Online" value={online} tone="ok" to="/hosts" />
      <Stat label="Offline" value={offline} tone={offline > 0 ? 'bad' : 'neutral'} to="/hosts" />
    </ul>
  );
}
