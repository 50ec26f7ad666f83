import { useState, type FormEvent } from 'react';
import { FormActions, SelectField } from '@/components/form';
import { useCreateWaiver } from '../api/create-waiver';
import { ExpiresField, JustificationField, useWaiverTerms, WaiverProblem } from './waiver-terms';

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
  const terms = useWaiverTerms();
  // 'host', 'group' or 'tag:<name>'.
  const [scope, setScope] = useState<string>('host');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = terms.check();
    if (!checked) return;
    create.mutate(
      {
        ruleId,
        scope:
          scope === 'group' && group
            ? { type: 'group', id: group }
            : scope.startsWith('tag:')
              ? { type: 'tag', id: scope.slice(4) }
              : { type: 'host', id: hostId },
        ...checked,
      },
      { onSuccess: onDone },
    );
  };

  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${ruleId}`} noValidate>
      <JustificationField terms={terms} />
      <div className="form-row">
        <ExpiresField terms={terms} />
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
      <WaiverProblem terms={terms} mutation={create} />
      <FormActions pending={create.isPending} pendingLabel="Saving…" onCancel={onCancel}>
        Create waiver
      </FormActions>
    </form>
  );
}
