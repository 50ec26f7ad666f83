import { useId, useState, type FormEvent } from 'react';
import { CodeBlock } from '@/components/copy-button';
import { errorMessage } from '@/lib/api-client';
import type { Role } from '@plumbline/protocol/api';
import { useCreateApiKey } from '../api/create-api-key';

export function ApiKeyForm() {
  const id = useId();
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
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required placeholder="ci-export" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="auditor">auditor</option>
            <option value="operator">operator</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </form>
      {create.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
      {create.data ? (
        <div className="secret" role="status">
          <p>
            <strong>Key created.</strong> It is shown only once; the server keeps only its hash.
          </p>
          <CodeBlock code={create.data.key} label="API key" />
        </div>
      ) : null}
    </>
  );
}
