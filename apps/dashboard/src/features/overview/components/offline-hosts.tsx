import { Link } from 'react-router';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState } from '@/components/states';
import type { FleetSummary } from '@plumbline/protocol/api';

export function OfflineHosts({ hosts }: { hosts: FleetSummary['offlineHosts'] }) {
  if (hosts.length === 0) return <EmptyState title="Every host is online" />;
  return (
    <ul className="plain-list">
      {hosts.map((h) => (
        <li key={h.id}>
          <Link to={`/hosts/${encodeURIComponent(h.id)}`}>{h.hostname}</Link>{' '}
          <span className="muted small">
            last seen <RelativeTime iso={h.lastSeenAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
