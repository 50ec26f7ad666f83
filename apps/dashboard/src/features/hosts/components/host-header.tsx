import { useState } from 'react';
import { Link } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { OnlineBadge } from '@/components/status-badge';
import { Term } from '@/components/term';
import type { GroupChoices } from '@/components/group-field';
import { buildUrl } from '@/lib/api-client';
import type { HostDetail } from '@plumbline/protocol/api';
import { HostMembership } from './host-membership';

/**
 * `canEdit` shows the group and tags editor (operators and admins); `groups` fills its
 * group select. The report shortcut downloads this host's signed PDF.
 */
export function HostHeader({ host, canEdit = false, groups = 'loading' }: { host: HostDetail; canEdit?: boolean; groups?: GroupChoices }) {
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
        <Term term="OS">{host.os ?? <span className="muted">unknown</span>}</Term>
        <Term term="Kernel" className="mono">
          {host.kernel ?? '—'}
        </Term>
        <Term term="Arch" className="mono">
          {host.arch ?? '—'}
        </Term>
        <Term term="Last seen">
          <RelativeTime iso={host.lastSeenAt} />
          {host.lastSeenAt ? (
            <span className="muted small">
              {' '}
              (<AbsoluteTime iso={host.lastSeenAt} />)
            </span>
          ) : null}
        </Term>
        <Term term="Facts observed">
          <AbsoluteTime iso={host.observedAt} />
        </Term>
        <Term term="Agent" className="mono">
          {host.agentVersion ?? '—'}
        </Term>
        <Term term="Group">{host.group ?? <span className="muted">none</span>}</Term>
        <Term term="Tags">{host.tags.length > 0 ? host.tags.join(', ') : <span className="muted">none</span>}</Term>
        <Term term="Machine ID" className="mono small">
          {host.machineId ?? '—'}
        </Term>
      </dl>
    </header>
  );
}
