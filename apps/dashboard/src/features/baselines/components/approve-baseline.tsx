import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { FormActions, MutationError, TextAreaField } from '@/components/form';
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
      <TextAreaField label="Note (optional)" rows={2} maxLength={2000} value={note} onChange={setNote} aria-describedby={`${id}-what`} />
      <MutationError mutation={approve} />
      <FormActions pending={approve.isPending} pendingLabel="Approving…" onCancel={() => setConfirming(false)} lockCancel>
        Approve baseline
      </FormActions>
    </form>
  );
}
