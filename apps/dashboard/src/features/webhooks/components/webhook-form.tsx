import { useState } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { CreateForm, SecretReveal, SelectField, TextField, plainOptions, type Option } from '@/components/form';
import type { WebhookCreate } from '@plumbline/protocol/outbound';
import { useCreateWebhook } from '../api/create-webhook';

const KINDS = ['compliance', 'fact', 'baseline', 'identity'] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const FORMATS: Option<WebhookCreate['format']>[] = [
  { value: 'json', label: 'JSON' },
  { value: 'slack', label: 'Slack-compatible' },
];

/** Creates a webhook; its signing secret is shown once, here. */
export function WebhookForm() {
  const create = useCreateWebhook();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [format, setFormat] = useState<WebhookCreate['format']>('json');
  const [kinds, setKinds] = useState<WebhookCreate['filter']['kinds']>(['compliance']);
  const [minSeverity, setMinSeverity] = useState<'' | (typeof SEVERITIES)[number]>('');
  const [groups, setGroups] = useState('');

  const submit = () => {
    const groupList = groups
      .split(',')
      .map((g) => g.trim())
      .filter(Boolean);
    create.mutate({
      name: name.trim(),
      url: url.trim(),
      format,
      filter: { kinds, groups: groupList, ...(minSeverity && { minSeverity }) },
    });
  };
  const toggleKind = (k: (typeof KINDS)[number], on: boolean) => setKinds((prev) => (on ? [...prev, k] : prev.filter((x) => x !== k)));

  return (
    <>
      <CreateForm label="Create a webhook" mutation={create} submitLabel="Create webhook" onSubmit={submit}>
        <div className="form-row">
          <TextField label="Name" value={name} onChange={setName} required placeholder="soc-siem" />
          <TextField
            label="URL"
            hint="http or https only."
            type="url"
            value={url}
            onChange={setUrl}
            required
            placeholder="https://siem.example.com/hooks/plumbline"
          />
          <SelectField label="Payload" value={format} options={FORMATS} onChange={setFormat} />
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
          <SelectField
            label="Minimum severity"
            value={minSeverity}
            options={[{ value: '', label: 'any' }, ...plainOptions(SEVERITIES)]}
            onChange={setMinSeverity}
          />
          <TextField
            label="Groups"
            hint="Comma-separated; empty: every group."
            value={groups}
            onChange={setGroups}
            placeholder="web, bastions"
          />
        </div>
      </CreateForm>
      {create.data ? (
        <SecretReveal>
          <p>
            <strong>Webhook {create.data.name} created.</strong> Its signing secret is shown only once. Receivers check{' '}
            <code>X-Plumbline-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body)</code>, the timestamp being{' '}
            <code>X-Plumbline-Timestamp</code>.
          </p>
          <CodeBlock code={create.data.secret} label="Webhook signing secret" />
        </SecretReveal>
      ) : null}
    </>
  );
}
