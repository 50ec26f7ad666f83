import { useState, type FormEvent } from 'react';
import { TextField } from '@/components/form';
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
      <TextField
        label={forced ? 'One-time password' : 'Current password'}
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={setCurrent}
      />
      <TextField
        label="New password"
        hint="At least 12 characters."
        type="password"
        autoComplete="new-password"
        minLength={12}
        required
        value={next}
        onChange={setNext}
      />
      <TextField
        label="Repeat new password"
        type="password"
        autoComplete="new-password"
        required
        error={mismatch ? 'The new passwords differ.' : null}
        value={repeat}
        onChange={setRepeat}
      />
      <button type="submit" className={forced ? 'btn btn-primary btn-block' : 'btn btn-primary'} disabled={change.isPending || mismatch}>
        {change.isPending ? 'Saving…' : 'Change password'}
      </button>
      <div role="status">
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
