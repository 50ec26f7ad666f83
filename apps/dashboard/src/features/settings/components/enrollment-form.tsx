import { useState } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { CreateForm, SecretReveal, SelectField, TextField } from '@/components/form';
import { GroupField, type GroupChoices } from '@/components/group-field';
import { errorMessage } from '@/lib/api-client';
import { useCreateEnrollmentToken } from '../api/create-enrollment-token';
import { usePackageSigningKey } from '../api/get-package-key';

const EXPIRIES = [
  { value: '1h', label: '1 hour' },
  { value: '24h', label: '24 hours' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
];

/**
 * The form GET /install.sh documents: the script needs root, so `sudo sh`. It carries the
 * fingerprint of the key that signs the packages, and asks for the token on the terminal
 * (a token on a command line is visible in ps). Over plain http the script refuses to run
 * unless told --insecure-http, so the command says so.
 */
export function installCommand(origin: string, fingerprint: string): string {
  const base = origin.replace(/\/+$/, '');
  const insecure = base.startsWith('http://') ? ' --insecure-http' : '';
  return `curl -fsSL ${base}/install.sh | sudo sh -s -- --fingerprint ${fingerprint}${insecure}`;
}

/** Creates an enrollment token (optionally for a group) and shows the one-line install. */
export function EnrollmentForm({ groups }: { groups: GroupChoices }) {
  const create = useCreateEnrollmentToken();
  const key = usePackageSigningKey();
  const plainHttp = window.location.protocol === 'http:';
  const [name, setName] = useState('');
  const [group, setGroup] = useState('');
  const [expires, setExpires] = useState('24h');
  const [maxUses, setMaxUses] = useState('');

  const submit = () => {
    const uses = Number.parseInt(maxUses, 10);
    create.mutate({
      name: name.trim() || `dashboard ${new Date().toISOString().slice(0, 10)}`,
      expires,
      ...(group.trim() && { group: group.trim() }),
      ...(Number.isFinite(uses) && uses > 0 && { maxUses: uses }),
    });
  };

  return (
    <>
      <CreateForm label="Create an enrollment token" inline mutation={create} submitLabel="Create token" onSubmit={submit}>
        <TextField label="Name" value={name} onChange={setName} placeholder="web servers, batch 3" />
        <GroupField groups={groups} value={group} onChange={setGroup} none="No group" />
        <SelectField label="Expires after" value={expires} options={EXPIRIES} onChange={setExpires} />
        <TextField label="Maximum uses" type="number" min={1} value={maxUses} onChange={setMaxUses} placeholder="unlimited" />
      </CreateForm>
      {create.data ? (
        <SecretReveal>
          <p>
            <strong>Token created.</strong> It is shown only now: copy it or the install command.
          </p>
          <CodeBlock code={create.data.token} label="Enrollment token" />
          {key.data ? (
            <CodeBlock code={installCommand(window.location.origin, key.data.fingerprint)} label="Install command" />
          ) : (
            <p className="form-error" role="alert">
              {key.isError
                ? `The install command needs the server's signing key: ${errorMessage(key.error)}`
                : 'Loading the install command…'}
            </p>
          )}
          <p>
            The installer asks for the token. For unattended installs, save it to a file readable only by root (<code>chmod 600</code>) and
            add <code>--token-file FILE</code>.
          </p>
          {plainHttp ? (
            <p className="form-error" role="note">
              This server is reached over plain http: the token and the packages travel unprotected, so the command carries{' '}
              <code>--insecure-http</code>. Serve Plumbline over https to drop it.
            </p>
          ) : null}
        </SecretReveal>
      ) : null}
    </>
  );
}
