import { useId, useState, type FormEvent } from 'react';
import { errorMessage } from '@/lib/api-client';
import type { Role } from '@plumbline/protocol/api';
import { useCreateUser } from '../api/create-user';

export function UserForm() {
  const id = useId();
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ email: email.trim(), role, password }, { onSuccess: () => setPassword('') });
  };

  return (
    <>
      <form className="inline-form" onSubmit={submit} aria-label="Add a user">
        <div className="field">
          <label htmlFor={`${id}-email`}>Email</label>
          <input id={`${id}-email`} type="email" autoComplete="off" value={email} onChange={(e) => setEmail(e.target.value)} required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="operator">operator</option>
            <option value="auditor">auditor (read and export only)</option>
            <option value="admin">admin</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-pw`}>Initial password</label>
          <input
            id={`${id}-pw`}
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            aria-describedby={`${id}-pw-hint`}
          />
          <span id={`${id}-pw-hint`} className="field-hint">
            At least 12 characters.
          </span>
        </div>
        <button type="submit" className="btn btn-primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add user'}
        </button>
      </form>
      <div role="status">
        {create.isSuccess ? <p className="form-ok">User {create.variables.email} added.</p> : null}
      </div>
      {create.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      ) : null}
    </>
  );
}
