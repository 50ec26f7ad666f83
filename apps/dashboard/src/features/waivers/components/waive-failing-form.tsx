import { useState, type FormEvent } from 'react';
import { FormActions, TextAreaField, TextField } from '@/components/form';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue, endOfLocalDay, formatCount } from '@/lib/format';
import { useWaiveFailing } from '../api/waive-failing';

/** From a rule's page: waive it for every host failing it now (one waiver per host). */
export function WaiveFailingForm({ ruleId, failing }: { ruleId: string; failing: number }) {
  const waive = useWaiveFailing();
  const [open, setOpen] = useState(false);
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(() => dateInputValue(30));
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<number | null>(null);

  if (!open) {
    return (
      <>
        <button type="button" className="btn" disabled={failing === 0} onClick={() => (setOpen(true), setDone(null))}>
          Waive for the {formatCount(failing)} failing {failing === 1 ? 'host' : 'hosts'}…
        </button>
        {done !== null ? (
          <p role="status">
            {formatCount(done)} {done === 1 ? 'waiver' : 'waivers'} created; they apply once approved where approval is required.
          </p>
        ) : null}
      </>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = endOfLocalDay(expires);
    if (justification.trim().length < 10) return setProblem('Say why, in at least 10 characters.');
    if (!expiresAt || Date.parse(expiresAt) <= Date.now()) return setProblem('Choose an expiry date in the future.');
    setProblem(null);
    waive.mutate(
      { ruleId, justification: justification.trim(), expiresAt },
      {
        onSuccess: (n) => {
          setDone(n);
          setOpen(false);
        },
      },
    );
  };
  const error = problem ?? (waive.isError ? errorMessage(waive.error) : null);
  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${ruleId} for the failing hosts`} noValidate>
      <p>One waiver for each of the {formatCount(failing)} hosts failing this rule now. Hosts that fail it later are not covered.</p>
      <TextAreaField
        label="Justification"
        hint="Why this risk is accepted, and what compensates for it (at least 10 characters)."
        value={justification}
        onChange={setJustification}
        rows={3}
        required
        minLength={10}
      />
      <TextField label="Expires on" type="date" value={expires} min={dateInputValue(1)} onChange={setExpires} required />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <FormActions pending={waive.isPending} pendingLabel="Saving…" onCancel={() => setOpen(false)}>
        Create waivers
      </FormActions>
    </form>
  );
}
