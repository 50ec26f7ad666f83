import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import type { GroupItem } from '@plumbline/protocol/api';
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

/**
 * Edits one group's policy (or creates a group when `group` is null). The server checks
 * the tailoring against the rule content; its message is shown as it comes.
 */
export function GroupEditor({ group, rules, onDone, onCancel }: { group: GroupItem | null; rules: RuleOption[]; onDone: (name: string) => void; onCancel: () => void }) {
  const id = useId();
  const update = useUpdateGroup();
  const [name, setName] = useState(group?.name ?? '');
  const [profileId, setProfileId] = useState(group?.profileId ?? 'cis-l1-server');
  const [tailoring, setTailoring] = useState<TailoringRow[]>(() => (group ? tailoringRows(group.tailoring) : []));
  const [ports, setPorts] = useState<PortRow[]>(() => (group ? portRows(group.allowedPorts) : []));
  const [problems, setProblems] = useState<string[]>([]);

  const setRule = (i: number, patch: Partial<TailoringRow>) => setTailoring((rows) => rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
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
        {group ? null : (
          <div className="field">
            <label htmlFor={`${id}-name`}>Group name</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="mqtt-broker" />
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-profile`}>Profile</label>
          <select id={`${id}-profile`} value={profileId} onChange={(e) => setProfileId(e.target.value)}>
            {PROFILES.map((p) => (
              <option key={p.id} value={p.id}>
                {p.label} ({p.id})
              </option>
            ))}
            {PROFILES.some((p) => p.id === profileId) ? null : <option value={profileId}>{profileId}</option>}
          </select>
        </div>
      </div>

      <fieldset className="subsection">
        <legend>Tailoring</legend>
        <p className="muted small">Disable a rule or set its parameters (a JSON object, e.g. {'{"max_auth_tries": 3}'}).</p>
        {tailoring.length === 0 ? <p className="muted small">No rule is tailored: the profile applies as shipped.</p> : null}
        {tailoring.map((row, i) => (
          <div className="form-row" key={i} role="group" aria-label={`Tailored rule ${i + 1}`}>
            <div className="field">
              <label htmlFor={`${id}-r${i}-id`}>Rule id</label>
              <input id={`${id}-r${i}-id`} list={ruleList} value={row.ruleId} onChange={(e) => setRule(i, { ruleId: e.target.value })} className="mono" />
            </div>
            <div className="field">
              <label htmlFor={`${id}-r${i}-on`}>Rule</label>
              <select id={`${id}-r${i}-on`} value={row.enabled ? 'on' : 'off'} onChange={(e) => setRule(i, { enabled: e.target.value === 'on' })}>
                <option value="on">enabled</option>
                <option value="off">disabled</option>
              </select>
            </div>
            <div className="field field-grow">
              <label htmlFor={`${id}-r${i}-params`}>Parameters</label>
              <input id={`${id}-r${i}-params`} value={row.params} onChange={(e) => setRule(i, { params: e.target.value })} className="mono" placeholder="{}" />
            </div>
            <button type="button" className="btn btn-small" onClick={() => setTailoring((rows) => rows.filter((_, j) => j !== i))} aria-label={`Remove tailored rule ${row.ruleId || i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-small" onClick={() => setTailoring((rows) => [...rows, { ruleId: '', enabled: false, params: '' }])}>
          Add a rule
        </button>
      </fieldset>

      <fieldset className="subsection">
        <legend>Allowed listening ports</legend>
        <p className="muted small">A socket is allowed when it matches every field given in a row; a blank field matches anything.</p>
        {ports.length === 0 ? <p className="muted small">No allow-list: only the profile's own checks judge listeners.</p> : null}
        {ports.map((row, i) => (
          <div className="form-row" key={i} role="group" aria-label={`Allowed port ${i + 1}`}>
            <div className="field">
              <label htmlFor={`${id}-p${i}-port`}>Port</label>
              <input id={`${id}-p${i}-port`} inputMode="numeric" value={row.port} onChange={(e) => setPort(i, { port: e.target.value })} size={6} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-p${i}-proto`}>Protocol</label>
              <select id={`${id}-p${i}-proto`} value={row.protocol} onChange={(e) => setPort(i, { protocol: e.target.value as PortRow['protocol'] })}>
                <option value="">any</option>
                {PROTOCOLS.map((p) => (
                  <option key={p} value={p}>
                    {p}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-p${i}-addr`}>Address</label>
              <input id={`${id}-p${i}-addr`} value={row.address} onChange={(e) => setPort(i, { address: e.target.value })} placeholder="any" className="mono" />
            </div>
            <div className="field">
              <label htmlFor={`${id}-p${i}-proc`}>Process</label>
              <input id={`${id}-p${i}-proc`} value={row.process} onChange={(e) => setPort(i, { process: e.target.value })} placeholder="any" />
            </div>
            <div className="field field-grow">
              <label htmlFor={`${id}-p${i}-note`}>Comment</label>
              <input id={`${id}-p${i}-note`} value={row.comment} onChange={(e) => setPort(i, { comment: e.target.value })} />
            </div>
            <button type="button" className="btn btn-small" onClick={() => setPorts((rows) => rows.filter((_, j) => j !== i))} aria-label={`Remove allowed port ${row.port || i + 1}`}>
              Remove
            </button>
          </div>
        ))}
        <div className="form-actions">
          <button type="button" className="btn btn-small" onClick={() => setPorts((rows) => [...rows, { ...EMPTY_PORT }])}>
            Add a port
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setPorts((rows) => [...rows, ...MQTT_BROKER_PORTS.filter((m) => !rows.some((r) => r.port === m.port && (r.protocol === m.protocol || !r.protocol)))])}
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
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={update.isPending}>
          {update.isPending ? 'Saving…' : group ? 'Save and re-evaluate hosts' : 'Create group'}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
