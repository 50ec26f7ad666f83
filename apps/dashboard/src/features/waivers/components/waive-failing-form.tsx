import { useState, type FormEvent } from 'react';
import type { WaiveFailingResult } from '@plumbline/protocol/api';
import { FormActions } from '@/components/form';
import { formatCount } from '@/lib/format';
import { useWaiveFailing } from '../api/waive-failing';
import { ExpiresField, JustificationField, useWaiverTerms, WaiverProblem } from './waiver-terms';

/** From a rule's page: waive it for every host failing it now (one waiver per host). */
export function WaiveFailingForm({ ruleId, failing }: { ruleId: string; failing: number }) {
  const waive = useWaiveFailing();
  const [open, setOpen] = useState(false);
  const terms = useWaiverTerms();
  const [done, setDone] = useState<WaiveFailingResult | null>(null);

  if (!open) {
    return (
      <>
        <button type="button" className="btn" disabled={failing === 0} onClick={() => (setOpen(true), setDone(null))}>
          Waive for the {formatCount(failing)} failing {failing === 1 ? 'host' : 'hosts'}…
        </button>
        {done !== null ? (
          <p role="status">
            {formatCount(done.created)} {done.created === 1 ? 'waiver' : 'waivers'} created
            {done.alreadyWaived
              ? ` (${formatCount(done.alreadyWaived)} ${done.alreadyWaived === 1 ? 'host was' : 'hosts were'} waived already)`
              : ''}
            ; they apply once approved where approval is required.
          </p>
        ) : null}
      </>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = terms.check();
    if (!checked) return;
    waive.mutate(
      { ruleId, ...checked },
      {
        onSuccess: (result) => {
          setDone(result);
          setOpen(false);
        },
      },
    );
  };
  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${ruleId} for the failing hosts`} noValidate>
      <p>
        One waiver for each of the {formatCount(failing)} hosts failing this rule now, unless it is waived already. Hosts that fail it later
        are not covered.
      </p>
      <JustificationField terms={terms} />
      <ExpiresField terms={terms} />
      <WaiverProblem terms={terms} mutation={waive} />
      <FormActions pending={waive.isPending} pendingLabel="Saving…" onCancel={() => setOpen(false)}>
        Create waivers
      </FormActions>
    </form>
  );
}
