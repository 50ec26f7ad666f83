import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '@/lib/api-client';
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
  const id = useId();
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

  const describedBy = (field: keyof FieldErrors, hint?: string) =>
    [hint, errors[field] ? `${id}-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

  return (
    <form className="auth-form" onSubmit={onSubmit} noValidate>
      <h1>Create the first admin</h1>
      <p className="muted">
        No user exists yet. The account you create here becomes the administrator of this
        Plumbline server.
      </p>
      {setup.isError ? (
        <p className="form-error" role="alert">
          {errorMessage(setup.error)}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-email`}>Email</label>
        <input
          id={`${id}-email`}
          type="email"
          autoComplete="username"
          required
          aria-invalid={errors.email ? true : undefined}
          aria-describedby={describedBy('email')}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
        {errors.email ? (
          <p id={`${id}-email-error`} className="field-error">
            {errors.email}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-password`}>Password</label>
        <input
          id={`${id}-password`}
          type="password"
          autoComplete="new-password"
          required
          minLength={MIN_PASSWORD_LENGTH}
          aria-invalid={errors.password ? true : undefined}
          aria-describedby={describedBy('password', `${id}-password-hint`)}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <p id={`${id}-password-hint`} className="field-hint">
          At least {MIN_PASSWORD_LENGTH} characters.
        </p>
        {errors.password ? (
          <p id={`${id}-password-error`} className="field-error">
            {errors.password}
          </p>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${id}-confirm`}>Confirm password</label>
        <input
          id={`${id}-confirm`}
          type="password"
          autoComplete="new-password"
          required
          aria-invalid={errors.confirm ? true : undefined}
          aria-describedby={describedBy('confirm')}
          value={confirm}
          onChange={(e) => setConfirm(e.target.value)}
        />
        {errors.confirm ? (
          <p id={`${id}-confirm-error`} className="field-error">
            {errors.confirm}
          </p>
        ) : null}
      </div>
      <button type="submit" className="btn btn-primary btn-block" disabled={setup.isPending}>
        {setup.isPending ? 'Creating…' : 'Create admin and sign in'}
      </button>
    </form>
  );
}
