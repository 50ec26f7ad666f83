import type { WaiverItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { WaiverStateBadge } from '@/components/badges';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { errorMessage } from '@/lib/api-client';
import { useApproveWaiver } from '../api/approve-waiver';
import { useRevokeWaiver } from '../api/revoke-waiver';

function Scope({ scope, hostNames }: { scope: WaiverItem['scope']; hostNames?: Record<string, string> }) {
  if (scope.type === 'host') {
    return (
      <>
        host <Link to={`/hosts/${encodeURIComponent(scope.id)}`}>{hostNames?.[scope.id] ?? scope.id.slice(0, 8)}</Link>
      </>
    );
  }
  return (
    <>
      {scope.type} <strong>{scope.id}</strong>
    </>
  );
}

function Actions({ waiver }: { waiver: WaiverItem }) {
  const approve = useApproveWaiver();
  const revoke = useRevokeWaiver();
  const busy = approve.isPending || revoke.isPending;
  const error = approve.error ?? revoke.error;
  return (
    <div className="row-actions">
      {waiver.state === 'requested' ? (
        <button type="button" className="btn btn-small" disabled={busy} onClick={() => approve.mutate(waiver.id)} aria-label={`Approve waiver for ${waiver.ruleId}`}>
          Approve
        </button>
      ) : null}
      {waiver.state === 'requested' || waiver.state === 'active' ? (
        <button
          type="button"
          className="btn btn-small btn-danger"
          disabled={busy}
          onClick={() => {
            if (window.confirm(`Revoke the waiver for ${waiver.ruleId}? The rule is judged normally again.`)) revoke.mutate(waiver.id);
          }}
          aria-label={`Revoke waiver for ${waiver.ruleId}`}
        >
          Revoke
        </button>
      ) : null}
      {error ? (
        <span role="alert" className="field-error">
          {errorMessage(error)}
        </span>
      ) : null}
    </div>
  );
}

/** Waivers with who asked, who approved, until when; actions for those who may act. */
export function WaiversTable({
  waivers,
  canAct,
  caption,
  hostNames,
}: {
  waivers: WaiverItem[];
  canAct: boolean;
  caption: string;
  hostNames?: Record<string, string>;
}) {
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Scope</th>
            <th scope="col">Justification</th>
            <th scope="col">State</th>
            <th scope="col">Expires</th>
            <th scope="col">Requested / approved</th>
            {canAct ? <th scope="col">Actions</th> : null}
          </tr>
        </thead>
        <tbody>
          {waivers.map((w) => (
            <tr key={w.id}>
              <th scope="row" className="cell-primary">
                <Link to={`/rules/${encodeURIComponent(w.ruleId)}`} className="mono">
                  {w.ruleId}
                </Link>
              </th>
              <td className="nowrap">
                <Scope scope={w.scope} hostNames={hostNames} />
              </td>
              <td className="cell-text">{w.justification}</td>
              <td>
                <WaiverStateBadge state={w.state} />
              </td>
              <td className="nowrap">
                <RelativeTime iso={w.expiresAt} />
                <div className="small muted">
                  <AbsoluteTime iso={w.expiresAt} />
                </div>
              </td>
              <td className="small">
                {w.requestedBy}
                {w.approvedBy ? <div className="muted">approved by {w.approvedBy}</div> : null}
                {w.revokedBy ? <div className="muted">revoked by {w.revokedBy}</div> : null}
              </td>
              {canAct ? (
                <td>
                  <Actions waiver={w} />
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
