import { PageHeader } from '@/components/page-header';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { OnlineBadge } from '@/components/status-badge';
import type { HostDetail } from '../api/types';

export function HostHeader({ host }: { host: HostDetail }) {
  return (
    <header className="host-header">
      <PageHeader title={host.hostname} documentTitle={`${host.hostname} · Hosts`}>
        <OnlineBadge online={host.online} />
      </PageHeader>
      <dl className="facts-grid">
        <div>
          <dt>OS</dt>
          <dd>{host.os ?? <span className="muted">unknown</span>}</dd>
        </div>
        <div>
          <dt>Kernel</dt>
          <dd className="mono">{host.kernel ?? '—'}</dd>
        </div>
        <div>
          <dt>Arch</dt>
          <dd className="mono">{host.arch ?? '—'}</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>
            <RelativeTime iso={host.lastSeenAt} />
            {host.lastSeenAt ? (
              <span className="muted small">
                {' '}
                (<AbsoluteTime iso={host.lastSeenAt} />)
              </span>
            ) : null}
          </dd>
        </div>
        <div>
          <dt>Facts observed</dt>
          <dd>
            <AbsoluteTime iso={host.observedAt} />
          </dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd className="mono">{host.agentVersion ?? '—'}</dd>
        </div>
        <div>
          <dt>Group</dt>
          <dd>{host.group ?? <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Machine ID</dt>
          <dd className="mono small">{host.machineId ?? '—'}</dd>
        </div>
      </dl>
    </header>
  );
}
