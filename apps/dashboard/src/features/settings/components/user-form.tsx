import type { Role } from '@plumbline/protocol/api';
import { useState, type FormEvent } from 'react';
import { MutationError, SelectField, SubmitButton, TextField, type Option } from '@/components/form';
import { useCreateUser } from '../api/create-user';

const ROLES: Option<Role>[] = [
  { value: 'operator', label: 'operator' },
  { value: 'auditor', label: 'auditor (read and export only)' },
  { value: 'admin', label: 'admin' },
];

export function UserForm() {
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
        <TextField label="Email" type="email" autoComplete="off" value={email} onChange={setEmail} required />
        <SelectField label="Role" value={role} options={ROLES} onChange={setRole} />
        <TextField
          label="Initial password"
          hint="At least 12 characters."
          type="password"
          autoComplete="new-password"
          minLength={12}
          value={password}
          onChange={setPassword}
          required
        />
        <SubmitButton pending={create.isPending} pendingLabel="Adding…">
          Add user
        </SubmitButton>
      </form>
      <div role="status">{create.isSuccess ? <p className="form-ok">User {create.variables.email} added.</p> : null}</div>
      <MutationError mutation={create} />
    </>
  );
}
