import type { WaiverItem } from '@plumbline/protocol/api';
import { Link } from 'react-router';
import { WaiverStateBadge } from '@/components/badges';
import { ActionButton, ActionError } from '@/components/action-button';
import { WhenCell } from '@/components/cells';
import { column, DataTable, type Column } from '@/components/data-table';
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

/** What a waiver accepts: a rule (linked to its page) or a CVE (linked to the fleet's findings of it). */
const waived = (w: WaiverItem) => w.cve ?? w.ruleId ?? '';

function Target({ waiver }: { waiver: WaiverItem }) {
  if (waiver.cve) {
    return (
      <>
        <Link to={`/vulnerabilities?cve=${encodeURIComponent(waiver.cve)}`} className="mono">
          {waiver.cve}
        </Link>
        <div className="small muted">known vulnerability</div>
      </>
    );
  }
  return (
    <Link to={`/rules/${encodeURIComponent(waiver.ruleId ?? '')}`} className="mono">
      {waiver.ruleId}
    </Link>
  );
}

function Actions({ waiver }: { waiver: WaiverItem }) {
  const approve = useApproveWaiver();
  const revoke = useRevokeWaiver();
  const busy = approve.isPending || revoke.isPending;
  const what = waived(waiver);
  return (
    <div className="row-actions">
      {waiver.state === 'requested' ? (
        <ActionButton label="Approve" ariaLabel={`Approve waiver for ${what}`} onAction={() => approve.mutate(waiver.id)} pending={busy} />
      ) : null}
      {waiver.state === 'requested' || waiver.state === 'active' ? (
        <ActionButton
          danger
          label="Revoke"
          ariaLabel={`Revoke waiver for ${what}`}
          confirm={`Revoke the waiver for ${what}? ${waiver.cve ? 'Its findings are shown unwaived again.' : 'The rule is judged normally again.'}`}
          onAction={() => revoke.mutate(waiver.id)}
          pending={busy}
        />
      ) : null}
      <ActionError error={approve.error ?? revoke.error} />
    </div>
  );
}

function columns(hostNames: Record<string, string> | undefined): Column<WaiverItem>[] {
  return [
    column('Rule or CVE', (w) => <Target waiver={w} />, { rowHeader: true }),
    column('Scope', (w) => <Scope scope={w.scope} hostNames={hostNames} />, { className: 'nowrap' }),
    column('Justification', (w) => w.justification, { className: 'cell-text' }),
    column('State', (w) => <WaiverStateBadge state={w.state} />),
    column('Expires', (w) => <WhenCell iso={w.expiresAt} />, { className: 'nowrap' }),
    column(
      'Requested / approved',
      (w) => (
        <>
          {w.requestedBy}
          {w.approvedBy ? <div className="muted">approved by {w.approvedBy}</div> : null}
          {w.revokedBy ? <div className="muted">revoked by {w.revokedBy}</div> : null}
        </>
      ),
      { className: 'small' },
    ),
  ];
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
  const shown = columns(hostNames);
  if (canAct) shown.push(column('Actions', (w) => <Actions waiver={w} />));
  return <DataTable items={waivers} columns={shown} caption={caption} rowKey={(w) => w.id} />;
}
