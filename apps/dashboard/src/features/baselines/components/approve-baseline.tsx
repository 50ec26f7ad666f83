import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '@/lib/api-client';
import { useApproveBaseline } from '../api/approve-baseline';

/**
 * "Approve current state as baseline", confirmed in a second step that says what it does
 * (and that it replaces an earlier baseline). Auditors see the button disabled, with why.
 */
export function ApproveBaseline({
  hostId,
  hostname,
  canApprove,
  replaces,
  extraActions,
}: {
  hostId: string;
  hostname: string;
  canApprove: boolean;
  replaces: boolean;
  /** Shown beside the button while no confirmation is open (clearing the baseline). */
  extraActions?: ReactNode;
}) {
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [note, setNote] = useState('');
  const [approved, setApproved] = useState(false);
  const approve = useApproveBaseline(hostId);

  if (!confirming) {
    return (
      <div className="baseline-approve">
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={!canApprove}
            aria-describedby={canApprove ? undefined : `${id}-why`}
            onClick={() => {
              setApproved(false);
              setConfirming(true);
            }}
          >
            Approve current state as baseline
          </button>
          {extraActions}
        </div>
        {canApprove ? null : (
          <p id={`${id}-why`} className="field-hint">
            Only admins and operators can approve a baseline.
          </p>
        )}
        {approved ? <p role="status">Baseline approved.</p> : null}
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    approve.mutate(note.trim(), {
      onSuccess: () => {
        setConfirming(false);
        setNote('');
        setApproved(true);
      },
    });
  };
  return (
    <form className="baseline-approve-form" onSubmit={submit} aria-label="Confirm baseline approval">
      <p id={`${id}-what`}>
        Approve the facts and rule verdicts {hostname} reports now as its baseline?
        {replaces ? ' This replaces the current baseline.' : ''} Later changes are compared to it and raise baseline drift.
      </p>
      <div className="field">
        <label htmlFor={`${id}-note`}>Note (optional)</label>
        <textarea id={`${id}-note`} rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} aria-describedby={`${id}-what`} />
      </div>
      {approve.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(approve.error)}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={approve.isPending}>
          {approve.isPending ? 'Approving…' : 'Approve baseline'}
        </button>
        <button type="button" className="btn" onClick={() => setConfirming(false)} disabled={approve.isPending}>
          Cancel
        </button>
      </div>
    </form>
  );
}
