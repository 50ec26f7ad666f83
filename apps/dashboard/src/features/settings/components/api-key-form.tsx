import type { Role } from '@plumbline/protocol/api';
import { useState, type FormEvent } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { MutationError, SecretReveal, SelectField, SubmitButton, TextField, plainOptions } from '@/components/form';
import { useCreateApiKey } from '../api/create-api-key';

const ROLES = plainOptions<Role>(['auditor', 'operator', 'admin']);

export function ApiKeyForm() {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('auditor');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ name: name.trim(), role });
  };

  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label="Create an API key">
        <TextField label="Name" value={name} onChange={setName} required placeholder="ci-export" />
        <SelectField label="Role" value={role} options={ROLES} onChange={setRole} />
        <SubmitButton pending={create.isPending} pendingLabel="Creating…">
          Create key
        </SubmitButton>
      </form>
      <MutationError mutation={create} />
      {create.data ? (
        <SecretReveal>
          <p>
            <strong>Key created.</strong> It is shown only once; the server keeps only its hash.
          </p>
          <CodeBlock code={create.data.key} label="API key" />
        </SecretReveal>
      ) : null}
    </>
  );
}
