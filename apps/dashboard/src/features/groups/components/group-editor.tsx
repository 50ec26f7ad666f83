import { useId, useState, type FormEvent } from 'react';
import type { GroupItem } from '@plumbline/protocol/api';
import { FormActions, SelectField, TextField, plainOptions, type Option } from '@/components/form';
import { errorMessage } from '@/lib/api-client';
import { useUpdateGroup } from '../api/update-group';
import {
  EMPTY_PORT,
  groupNameProblem,
  MQTT_BROKER_PORTS,
  PROFILES,
  PROTOCOLS,
  portRows,
  tailoringRows,
  toPolicy,
  type PortRow,
  type TailoringRow,
} from '../utils/policy-form';

export interface RuleOption {
  id: string;
  title: string;
}

const ENABLED: Option<'on' | 'off'>[] = [
  { value: 'on', label: 'enabled' },
  { value: 'off', label: 'disabled' },
];
const PROTOCOL_OPTIONS: Option<PortRow['protocol']>[] = [{ value: '', label: 'any' }, ...plainOptions(PROTOCOLS)];

/** The shipped profiles, and the group's own when it names one the dashboard does not know. */
function profileOptions(current: string): Option[] {
  const known = PROFILES.map((p) => ({ value: p.id, label: `${p.label} (${p.id})` }));
  return PROFILES.some((p) => p.id === current) ? known : [...known, { value: current, label: current }];
}

/**
 * Edits one group's policy (or creates a group when `group` is null). The server checks
 * the tailoring against the rule content; its message is shown as it comes.
 */
/** The Remove button of one editable row; `label` names the row for screen readers. */
function RemoveRow({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <button type="button" className="btn btn-small" onClick={onRemove} aria-label={label}>
      Remove
    </button>
  );
}

export function GroupEditor({
  group,
  rules,
  onDone,
  onCancel,
}: {
  group: GroupItem | null;
  rules: RuleOption[];
  onDone: (name: string) => void;
  onCancel: () => void;
}) {
  const id = useId();
  const update = useUpdateGroup();
  const [name, setName] = useState(group?.name ?? '');
  const [profileId, setProfileId] = useState(group?.profileId ?? 'cis-l1-server');
  const [tailoring, setTailoring] = useState<TailoringRow[]>(() => (group ? tailoringRows(group.tailoring) : []));
  const [ports, setPorts] = useState<PortRow[]>(() => (group ? portRows(group.allowedPorts) : []));
  const [problems, setProblems] = useState<string[]>([]);

  const setRule = (i: number, patch: Partial<TailoringRow>) =>
    setTailoring((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const setPort = (i: number, patch: Partial<PortRow>) => setPorts((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const nameProblem = group ? null : groupNameProblem(name);
    const policy = toPolicy(profileId, tailoring, ports);
    const all = [...(nameProblem ? [nameProblem] : []), ...(policy.ok ? [] : policy.errors)];
    setProblems(all);
    if (!policy.ok || all.length) return;
    const target = group?.name ?? name.trim();
    update.mutate({ name: target, policy: policy.value }, { onSuccess: () => onDone(target) });
  };

  const title = group ? `Edit group ${group.name}` : 'New group';
  const ruleList = `${id}-rules`;
  return (
    <form className="group-editor" onSubmit={submit} aria-label={title} noValidate>
      <h3>{title}</h3>
      <datalist id={ruleList}>
        {rules.map((r) => (
          <option key={r.id} value={r.id}>
            {r.title}
          </option>
        ))}
      </datalist>
      <div className="form-row">
        {group ? null : <TextField label="Group name" value={name} onChange={setName} required maxLength={100} placeholder="mqtt-broker" />}
        <SelectField label="Profile" value={profileId} options={profileOptions(profileId)} onChange={setProfileId} />
      </div>

      <fieldset className="subsection">
        <legend>Tailoring</legend>
        <p className="muted small">Disable a rule or set its parameters (a JSON object, e.g. {'{"max_auth_tries": 3}'}).</p>
        {tailoring.length === 0 ? <p className="muted small">No rule is tailored: the profile applies as shipped.</p> : null}
        {tailoring.map((row, i) => (
          <div className="form-row" key={i} role="group" aria-label={`Tailored rule ${i + 1}`}>
            <TextField
              label="Rule id"
              list={ruleList}
              value={row.ruleId}
              onChange={(ruleId) => setRule(i, { ruleId })}
              inputClassName="mono"
            />
            <SelectField
              label="Rule"
              value={row.enabled ? 'on' : 'off'}
              options={ENABLED}
              onChange={(v) => setRule(i, { enabled: v === 'on' })}
            />
            <TextField
              className="field field-grow"
              label="Parameters"
              value={row.params}
              onChange={(params) => setRule(i, { params })}
              inputClassName="mono"
              placeholder="{}"
            />
            <RemoveRow
              label={`Remove tailored rule ${row.ruleId || i + 1}`}
              onRemove={() => setTailoring((rows) => rows.filter((_, j) => j !== i))}
            />
          </div>
        ))}
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setTailoring((rows) => [...rows, { ruleId: '', enabled: false, params: '' }])}
        >
          Add a rule
        </button>
      </fieldset>

      <fieldset className="subsection">
        <legend>Allowed listening ports</legend>
        <p className="muted small">A socket is allowed when it matches every field given in a row; a blank field matches anything.</p>
        {ports.length === 0 ? <p className="muted small">No allow-list: only the profile's own checks judge listeners.</p> : null}
        {ports.map((row, i) => (
          <div className="form-row" key={i} role="group" aria-label={`Allowed port ${i + 1}`}>
            <TextField label="Port" inputMode="numeric" value={row.port} onChange={(port) => setPort(i, { port })} size={6} />
            <SelectField
              label="Protocol"
              value={row.protocol}
              options={PROTOCOL_OPTIONS}
              onChange={(protocol) => setPort(i, { protocol })}
            />
            <TextField
              label="Address"
              value={row.address}
              onChange={(address) => setPort(i, { address })}
              placeholder="any"
              inputClassName="mono"
            />
            <TextField label="Process" value={row.process} onChange={(process) => setPort(i, { process })} placeholder="any" />
            <TextField className="field field-grow" label="Comment" value={row.comment} onChange={(comment) => setPort(i, { comment })} />
            <RemoveRow
              label={`Remove allowed port ${row.port || i + 1}`}
              onRemove={() => setPorts((rows) => rows.filter((_, j) => j !== i))}
            />
          </div>
        ))}
        <div className="form-actions">
          <button type="button" className="btn btn-small" onClick={() => setPorts((rows) => [...rows, { ...EMPTY_PORT }])}>
            Add a port
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() =>
              setPorts((rows) => [
                ...rows,
                ...MQTT_BROKER_PORTS.filter((m) => !rows.some((r) => r.port === m.port && (r.protocol === m.protocol || !r.protocol))),
              ])
            }
          >
            Add the MQTT broker ports (1883, 8883, 8083, 8084)
          </button>
        </div>
      </fieldset>

      {problems.length ? (
        <ul className="form-error" role="alert">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      ) : null}
      {update.isError ? (
        <p className="form-error" role="alert">
          The server refused this policy: {errorMessage(update.error)}
        </p>
      ) : null}
      <FormActions pending={update.isPending} pendingLabel="Saving…" onCancel={onCancel}>
        {group ? 'Save and re-evaluate hosts' : 'Create group'}
      </FormActions>
    </form>
  );
}
