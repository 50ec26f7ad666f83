import { useState, type FormEvent } from 'react';
import { FormActions, SelectField, TextAreaField, TextField } from '@/components/form';
import { errorMessage } from '@/lib/api-client';
import { dateInputValue, endOfLocalDay } from '@/lib/format';
import { useCreateWaiver } from '../api/create-waiver';

/**
 * Accept the risk of one failing rule on one host, its group, or every host with one of its
 * tags: a justification and an expiry date (end of that day, in the viewer's time zone). The
 * server caps how far out, and decides whether it needs approval.
 */
export function WaiveForm({
  ruleId,
  hostId,
  group,
  tags = [],
  onDone,
  onCancel,
}: {
  ruleId: string;
  hostId: string;
  group: string | null;
  tags?: string[];
  onDone: () => void;
  onCancel: () => void;
}) {
  const create = useCreateWaiver();
  const [justification, setJustification] = useState('');
  const [expires, setExpires] = useState(() => dateInputValue(30));
  // 'host', 'group' or 'tag:<name>'.
  const [scope, setScope] = useState<string>('host');
  const [problem, setProblem] = useState<string | null>(null);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const expiresAt = endOfLocalDay(expires);
    if (justification.trim().length < 10) return setProblem('Say why, in at least 10 characters.');
    if (!expiresAt || Date.parse(expiresAt) <= Date.now()) return setProblem('Choose an expiry date in the future.');
    setProblem(null);
    create.mutate(
      {
        ruleId,
        scope:
          scope === 'group' && group
            ? { type: 'group', id: group }
            : scope.startsWith('tag:')
              ? { type: 'tag', id: scope.slice(4) }
              : { type: 'host', id: hostId },
        justification: justification.trim(),
        expiresAt,
      },
      { onSuccess: onDone },
    );
  };

  const error = problem ?? (create.isError ? errorMessage(create.error) : null);
  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${ruleId}`} noValidate>
      <TextAreaField
        label="Justification"
        hint="Why this risk is accepted, and what compensates for it (at least 10 characters)."
        value={justification}
        onChange={setJustification}
        rows={3}
        required
        minLength={10}
      />
      <div className="form-row">
        <TextField label="Expires on" type="date" value={expires} min={dateInputValue(1)} onChange={setExpires} required />
        {group || tags.length ? (
          <SelectField
            label="Applies to"
            value={scope}
            options={[
              { value: 'host', label: 'This host' },
              ...(group ? [{ value: 'group', label: `Every host in group ${group}` }] : []),
              ...tags.map((t) => ({ value: `tag:${t}`, label: `Every host tagged ${t}` })),
            ]}
            onChange={setScope}
          />
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <FormActions pending={create.isPending} pendingLabel="Saving…" onCancel={onCancel}>
        Create waiver
      </FormActions>
    </form>
  );
}
