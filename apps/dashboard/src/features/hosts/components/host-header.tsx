import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { OnlineBadge } from '@/components/status-badge';
import { buildUrl } from '@/lib/api-client';
import type { HostDetail } from '@plumbline/protocol/api';
import { HostMembership } from './host-membership';

/**
 * `canEdit` shows the group and tags editor (operators and admins); `groups` fills its
 * group select (null while loading). The report shortcut downloads this host's signed PDF.
 */
export function HostHeader({ host, canEdit = false, groups = null }: { host: HostDetail; canEdit?: boolean; groups?: string[] | null }) {
  const [editing, setEditing] = useState(false);
  const scope = `host:${host.id}`;
  return (
    <header className="host-header">
      <PageHeader title={host.hostname} documentTitle={`${host.hostname} · Hosts`}>
        <OnlineBadge online={host.online} />
        <div className="page-header-actions">
          <a className="btn btn-small" href={buildUrl('/reports', { format: 'pdf', scope })} download>
            Download report
          </a>
          <Link className="small" to={`/reports?scope=${encodeURIComponent(scope)}`}>
            Other formats…
          </Link>
          {canEdit && !editing ? (
            <button type="button" className="btn btn-small" onClick={() => setEditing(true)}>
              Change group and tags
            </button>
          ) : null}
        </div>
      </PageHeader>
      {editing ? <HostMembership host={host} groups={groups} onClose={() => setEditing(false)} /> : null}
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
          <dt>Tags</dt>
          <dd>{host.tags.length > 0 ? host.tags.join(', ') : <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Machine ID</dt>
          <dd className="mono small">{host.machineId ?? '—'}</dd>
        </div>
      </dl>
    </header>
  );
}
