import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue, endOfLocalDay } from '@/lib/format';
import { useCreateWaiver } from '../api/create-waiver';

/**
 * Accept the risk of one failing rule on one host (or its group): a justification and an
 * expiry date (end of that day, in the viewer's time zone). The server caps how far out.
 */
export function WaiveForm({
  ruleId,
  hostId,
  group,
  onDone,
  onCancel,
}: {
  ruleId: string;
  hostId: string;
  group: string | null;
  onDone: () => void;
  onCancel: () => void;
}) {
  const id = useId();
  const create = useCreateWaiver();
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(() => dateInputValue(30));
  const [scope, setScope] = useState<'host' | 'group'>('host');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = endOfLocalDay(expires);
    if (justification.trim().length < 10) return setProblem('Say why, in at least 10 characters.');
    if (!expiresAt || Date.parse(expiresAt) <= Date.now()) return setProblem('Choose an expiry date in the future.');
    setProblem(null);
    create.mutate(
      { ruleId, scope: scope === 'group' && group ? { type: 'group', id: group } : { type: 'host', id: hostId }, justification: justification.trim(), expiresAt },
      { onSuccess: onDone },
    );
  };

  const error = problem ?? (create.isError ? errorMessage(create.error) : null);
  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${ruleId}`} noValidate>
      <div className="field">
        <label htmlFor={`${id}-why`}>Justification</label>
        <textarea
          id={`${id}-why`}
          value={justification}
          onChange={(e) => setJustification(e.target.value)}
          rows={3}
          required
          minLength={10}
          aria-describedby={`${id}-why-hint`}
        />
        <span id={`${id}-why-hint`} className="field-hint">
          Why this risk is accepted, and what compensates for it (at least 10 characters).
        </span>
      </div>
      <div className="form-row">
        <div className="field">
          <label htmlFor={`${id}-exp`}>Expires on</label>
          <input id={`${id}-exp`} type="date" value={expires} min={dateInputValue(1)} onChange={(e) => setExpires(e.target.value)} required />
        </div>
        {group ? (
          <div className="field">
            <label htmlFor={`${id}-scope`}>Applies to</label>
            <select id={`${id}-scope`} value={scope} onChange={(e) => setScope(e.target.value === 'group' ? 'group' : 'host')}>
              <option value="host">This host</option>
              <option value="group">Every host in group {group}</option>
            </select>
          </div>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Create waiver'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
