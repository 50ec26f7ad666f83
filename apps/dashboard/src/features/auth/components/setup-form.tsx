import { useState, type FormEvent } from 'react';
import { MutationError, TextField } from '@/components/form';
import { ApiError } from '@/lib/api-client';
import { useCreateSetup } from '../api/create-setup';

export const MIN_PASSWORD_LENGTH = 12;

interface FieldErrors {
  email?: string;
  password?: string;
  confirm?: string;
}

function validate(email: string, password: string, confirm: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!/^[^\s@]+@[^\s@]+$/.test(email)) errors.email = 'Enter a valid email address.';
  if (password.length < MIN_PASSWORD_LENGTH) {
    errors.password = `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  }
  if (confirm !== password) errors.confirm = 'The passwords do not match.';
  return errors;
}

/** First run: no user exists yet, so the first account becomes the admin. */
export function SetupForm({ onDone, onAlreadyDone }: { onDone: () => void; onAlreadyDone: () => void }) {
  const setup = useCreateSetup();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [submitted, setSubmitted] = useState(false);

  const errors = submitted ? validate(email.trim(), password, confirm) : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitted(true);
    if (Object.keys(validate(email.trim(), password, confirm)).length > 0) return;
    setup.mutate(
      { email: email.trim(), password },
      {
        onSuccess: onDone,
        onError: (err) => {
          if (err instanceof ApiError && err.code === 'PLUMBLINE_ERR_SETUP_DONE') onAlreadyDone();
        },
      },
    );
  }

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate>
      <h1>Create the first admin</h1>
      <p className="muted">No user exists yet. The account you create here becomes the administrator of this Plumbline server.</p>
      <MutationError mutation={setup} />
      <TextField label="Email" type="email" autoComplete="username" required error={errors.email} value={email} onChange={setEmail} />
      <TextField
        label="Password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
        type="password"
        autoComplete="new-password"
        required
        minLength={MIN_PASSWORD_LENGTH}
        error={errors.password}
        value={password}
        onChange={setPassword}
      />
      <TextField
        label="Confirm password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.confirm}
        value={confirm}
        onChange={setConfirm}
      />
      <button type="submit" className="btn btn-primary btn-block" disabled={setup.isPending}>
        {setup.isPending ? 'Creating…' : 'Create admin and sign in'}
      </button>
    </form>
  );
}
