import type { WaiverItem, WaiverScope } from '@plumbline/protocol/api';
import { useState, type FormEvent } from 'react';
import { FormActions, SelectField } from '@/components/form';
import { useCreateWaiver } from '../api/create-waiver';
import { ExpiresField, JustificationField, useWaiverTerms, WaiverProblem } from './waiver-terms';

/** What a waiver accepts: a rule's failures, or a known vulnerability's findings. */
export type WaiverTarget = { ruleId: string } | { cve: string };
export const targetName = (t: WaiverTarget) => ('cve' in t ? t.cve : t.ruleId);

/** One scope the form offers, as the person choosing reads it. */
export interface ScopeOption {
  scope: WaiverScope;
  label: string;
}

/** From a host's page: this host, every host in its group, every host with one of its tags. */
export function hostScopes(host: { id: string; group: string | null; tags: string[] }): ScopeOption[] {
  return [
    { scope: { type: 'host', id: host.id }, label: 'This host' },
    ...(host.group ? [{ scope: { type: 'group' as const, id: host.group }, label: `Every host in group ${host.group}` }] : []),
    ...host.tags.map((t) => ({ scope: { type: 'tag' as const, id: t }, label: `Every host tagged ${t}` })),
  ];
}

const scopeKey = (s: ScopeOption['scope']) => `${s.type}:${s.id}`;

/**
 * Accept the risk of a failing rule or of a CVE for one of `scopes` (a host, a group, a tag):
 * a justification and an expiry date (end of that day, in the viewer's time zone). The server
 * caps how far out, and decides whether it needs a second person's approval.
 */
export function WaiveForm({
  target,
  scopes,
  onDone,
  onCancel,
}: {
  target: WaiverTarget;
  /** The first is chosen at first; at least one. */
  scopes: ScopeOption[];
  onDone: (waiver: WaiverItem) => void;
  onCancel: () => void;
}) {
  const create = useCreateWaiver();
  const terms = useWaiverTerms();
  const [chosen, setChosen] = useState<string>(() => (scopes[0] ? scopeKey(scopes[0].scope) : ''));
  const scope = scopes.find((s) => scopeKey(s.scope) === chosen) ?? scopes[0];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const checked = terms.check();
    if (!checked || !scope) return;
    create.mutate({ ...target, scope: scope.scope, ...checked }, { onSuccess: onDone });
  };

  return (
    <form className="waive-form" onSubmit={submit} aria-label={`Waive ${targetName(target)}`} noValidate>
      <JustificationField terms={terms} />
      <div className="form-row">
        <ExpiresField terms={terms} />
        {scopes.length > 1 ? (
          <SelectField
            label="Applies to"
            value={chosen}
            options={scopes.map((s) => ({ value: scopeKey(s.scope), label: s.label }))}
            onChange={setChosen}
          />
        ) : null}
      </div>
      {scopes.length === 1 && scope && scope.scope.type !== 'host' ? <p className="small muted">Applies to: {scope.label}.</p> : null}
      <WaiverProblem terms={terms} mutation={create} />
      <FormActions pending={create.isPending} pendingLabel="Saving…" onCancel={onCancel}>
        Create waiver
      </FormActions>
    </form>
  );
}
