import { useId, useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useChangePassword } from '../api/change-password';

function changeErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'PLUMBLINE_ERR_WRONG_PASSWORD') return 'The current password is incorrect.';
    if (error.status === 429) return `Too many attempts, try again in ${error.retryAfter ?? 60} s.`;
  }
  return errorMessage(error);
}

/** The signed-in user's own password; `forced` after an admin reset (the only thing left to do). */
export function ChangePasswordForm({ forced = false }: { forced?: boolean }) {
  const id = useId();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && next !== repeat;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (next !== repeat) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      { onSuccess: () => [setCurrent, setNext, setRepeat].forEach((set) => set('')) },
    );
  };

  return (
    <form className={forced ? 'auth-form' : 'inline-form'} onSubmit={submit} aria-label="Change password">
      {forced ? (
        <>
          <h1>Choose a new password</h1>
          <p className="muted">An admin reset your password. Choose your own before you continue; your other sessions have ended.</p>
        </>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-current`}>{forced ? 'One-time password' : 'Current password'}</label>
        <input id={`${id}-current`} type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-new`}>New password</label>
        <input
          id={`${id}-new`}
          type="password"
          autoComplete="new-password"
          minLength={12}
          required
          value={next}
          onChange={(e) => setNext(e.target.value)}
          aria-describedby={`${id}-new-hint`}
        />
        <span id={`${id}-new-hint`} className="field-hint">
          At least 12 characters.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-repeat`}>Repeat new password</label>
        <input
          id={`${id}-repeat`}
          type="password"
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.target.value)}
          aria-invalid={mismatch}
        />
      </div>
      <button type="submit" className={forced ? 'btn btn-primary btn-block' : 'btn btn-primary'} disabled={change.isPending || mismatch}>
        {change.isPending ? 'Saving…' : 'Change password'}
      </button>
      <div role="status">
        {mismatch ? <p className="form-error">The new passwords differ.</p> : null}
        {change.isSuccess && !forced ? <p className="form-ok">Password changed; your other sessions have ended.</p> : null}
      </div>
      {change.isError ? (
        <p className="form-error" role="alert">
          {changeErrorText(change.error)}
        </p>
      ) : null}
    </form>
  );
}
