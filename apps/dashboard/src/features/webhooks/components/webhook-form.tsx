import { useId, useState, type FormEvent } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { errorMessage } from '@/lib/api-client';
import type { WebhookCreate } from '@plumbline/protocol/outbound';
import { useCreateWebhook } from '../api/create-webhook';

const KINDS = ['compliance', 'fact', 'baseline', 'identity'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

/** Creates a webhook; its signing secret is shown once, here. */
export function WebhookForm() {
  const id = useId();
  const create = useCreateWebhook();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<WebhookCreate['format']>('json');
  const [kinds, setKinds] = useState<WebhookCreate['filter']['kinds']>(['compliance']);
  const [minSeverity, setMinSeverity] = useState<'' | (typeof SEVERITIES)[number]>('');
  const [groups, setGroups] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const groupList = groups.split(',').map((g) => g.trim()).filter(Boolean);
    create.mutate({ name: name.trim(), url: url.trim(), format, filter: { kinds, groups: groupList, ...(minSeverity && { minSeverity }) } });
  };
  const toggleKind = (k: (typeof KINDS)[number], on: boolean) => setKinds((prev) => (on ? [...prev, k] : prev.filter((x) => x !== k)));

  return (
    <>
      <form onSubmit={submit} aria-label="Create a webhook">
        <div className="form-row">
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required placeholder="soc-siem" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-url`}>URL</label>
            <input id={`${id}-url`} type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://siem.example.com/hooks/plumbline" aria-describedby={`${id}-url-hint`} />
            <span id={`${id}-url-hint`} className="field-hint">
              http or https only.
            </span>
          </div>
          <div className="field">
            <label htmlFor={`${id}-format`}>Payload</label>
            <select id={`${id}-format`} value={format} onChange={(e) => setFormat(e.target.value as WebhookCreate['format'])}>
              <option value="json">JSON</option>
              <option value="slack">Slack-compatible</option>
            </select>
          </div>
        </div>
        <div className="form-row">
          <fieldset className="field">
            <legend>Drift kinds (none: all)</legend>
            <div className="radio-row">
              {KINDS.map((k) => (
                <label key={k}>
                  <input type="checkbox" checked={kinds.includes(k)} onChange={(e) => toggleKind(k, e.target.checked)} />
                  {k}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-severity`}>Minimum severity</label>
            <select id={`${id}-severity`} value={minSeverity} onChange={(e) => setMinSeverity(e.target.value as typeof minSeverity)}>
              <option value="">any</option>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-groups`}>Groups</label>
            <input id={`${id}-groups`} value={groups} onChange={(e) => setGroups(e.target.value)} placeholder="web, bastions" aria-describedby={`${id}-groups-hint`} />
            <span id={`${id}-groups-hint`} className="field-hint">
              Comma-separated; empty: every group.
            </span>
          </div>
        </div>
        <div className="form-row">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create webhook'}
          </button>
        </div>
      </form>
      {create.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {create.data ? (
        <div className="secret" role="status">
          <p>
            <strong>Webhook {create.data.name} created.</strong> Its signing secret is shown only once. Receivers check{' '}
            <code>X-Plumbline-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body)</code>, the timestamp being{' '}
            <code>X-Plumbline-Timestamp</code>.
          </p>
          <CodeBlock code={create.data.secret} label="Webhook signing secret" />
        </div>
      ) : null}
    </>
  );
}
