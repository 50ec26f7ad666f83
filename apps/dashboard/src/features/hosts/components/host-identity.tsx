import { Link } from 'react-router';
import { AbsoluteTime } from '@/components/relative-time';
import { MutationError } from '@/components/form';
import { useClearIdentityConflict } from '../api/clear-identity-conflict';
import type { HostDetail, HostRef, HostSummary } from '@plumbline/protocol/api';

const CONFLICT_HINT = 'Another host reports the same machine id (a cloned image?). Open the host for how to fix it.';

/** Beside a hostname in lists: an identity conflict is a problem, a shared hostname only a marker. */
export function HostIdentityBadges({ host }: { host: HostSummary }) {
  if (!host.identityConflict && !host.duplicateHostname) return null;
  return (
    <>
      {' '}
      {host.identityConflict ? (
        <span className="badge badge-bad" title={CONFLICT_HINT}>
          Identity conflict
        </span>
      ) : null}
      {host.identityConflict && host.duplicateHostname ? ' ' : null}
      {host.duplicateHostname ? (
        <span className="badge badge-neutral" title="Another host has the same hostname">
          Duplicate hostname
        </span>
      ) : null}
    </>
  );
}

function HostLinks({ hosts }: { hosts: HostRef[] }) {
  return (
    <>
      {hosts.map((h, i) => (
        <span key={h.id}>
          {i > 0 ? ', ' : null}
          <Link to={`/hosts/${encodeURIComponent(h.id)}`}>{h.hostname}</Link>
        </span>
      ))}
    </>
  );
}

/** On the host page: what the flag means, how to fix the cause, and (operators) clearing it. */
export function HostIdentityNotice({ host, canClear = false }: { host: HostDetail; canClear?: boolean }) {
  const clear = useClearIdentityConflict(host.id);
  const sameId = host.sameMachineId;
  const sameName = host.sameHostname;
  if (!host.identityConflict && !sameName.length) return null;
  return (
    <div className="callout callout-warning" role="status">
      {host.identityConflict ? (
        <>
          <p className="callout-title">
            <span className="badge badge-bad">Identity conflict</span> since <AbsoluteTime iso={host.identityConflictSince} />
          </p>
          <p>
            {sameId.length ? (
              <>
                Machine id <code>{host.machineId}</code> is also reported by <HostLinks hosts={sameId} />.
              </>
            ) : (
              <>
                No other host reports machine id <code>{host.machineId}</code> now.
              </>
            )}{' '}
            The hosts are kept apart, never merged. Cloned images share <code>/etc/machine-id</code>: on each copy run{' '}
            <code>rm /etc/machine-id &amp;&amp; systemd-machine-id-setup</code> and restart the Plumbline agent. Once no other host reports
            this id, clear the flag here (or <code>DELETE /api/v1/hosts/{host.id}/identity-conflict</code>); it is audited.
          </p>
          {canClear ? (
            <button type="button" className="btn btn-small" disabled={clear.isPending} onClick={() => clear.mutate()}>
              {clear.isPending ? 'Clearing…' : 'Clear the flag'}
            </button>
          ) : null}
          <MutationError mutation={clear} />
        </>
      ) : null}
      {sameName.length ? (
        <p>
          <span className="badge badge-neutral">Duplicate hostname</span> Also named {host.hostname}: <HostLinks hosts={sameName} />.
        </p>
      ) : null}
    </div>
  );
}
