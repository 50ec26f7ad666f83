import type { Role } from '@plumbline/protocol/api';
import { useState } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { CreateForm, SecretReveal, SelectField, TextField, plainOptions } from '@/components/form';
import { useCreateApiKey } from '../api/create-api-key';

const ROLES = plainOptions<Role>(['auditor', 'operator', 'admin']);

export function ApiKeyForm() {
  const create = useCreateApiKey();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('auditor');

  return (
    <>
      <CreateForm
        label="Create an API key"
        inline
        mutation={create}
        submitLabel="Create key"
        onSubmit={() => create.mutate({ name: name.trim(), role })}
      >
        <TextField label="Name" value={name} onChange={setName} required placeholder="ci-export" />
        <SelectField label="Role" value={role} options={ROLES} onChange={setRole} />
      </CreateForm>
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
