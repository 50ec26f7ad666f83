import { useEffect, useId, useState, type FormEvent } from 'react';
import { TextField } from '@/components/form';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useCreateSession } from '../api/create-session';

function loginErrorText(error: unknown, secondsLeft: number): string {
  if (error instanceof ApiError) {
    if (error.code === 'PLUMBLINE_ERR_THROTTLED' || error.status === 429) {
      return secondsLeft > 0 ? `Too many attempts, try again in ${secondsLeft} s` : 'Too many attempts, try again now.';
    }
    if (error.code === 'PLUMBLINE_ERR_BAD_CREDENTIALS' || error.status === 401) {
      return 'Email or password is incorrect.';
    }
  }
  return errorMessage(error);
}

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const id = useId();
  const login = useCreateSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [retryUntil, setRetryUntil] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (retryUntil === null) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [retryUntil]);

  const secondsLeft = retryUntil === null ? 0 : Math.max(0, Math.ceil((retryUntil - now) / 1000));
  const throttled = secondsLeft > 0;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    login.mutate(
      { email: email.trim(), password },
      {
        onSuccess: onSignedIn,
        onError: (err) => {
          if (err instanceof ApiError && err.status === 429) {
            setNow(Date.now());
            setRetryUntil(Date.now() + (err.retryAfter ?? 60) * 1000);
          }
        },
      },
    );
  }

  const errorId = `${id}-error`;
  return (
    <form className="auth-form" onSubmit={onSubmit} aria-describedby={login.isError ? errorId : undefined}>
      <h1>Sign in</h1>
      {login.isError ? (
        <p id={errorId} className="form-error" role="alert">
          {loginErrorText(login.error, secondsLeft)}
        </p>
      ) : null}
      <TextField label="Email" name="email" type="email" autoComplete="username" required value={email} onChange={setEmail} />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={setPassword}
      />
      <button type="submit" className="btn btn-primary btn-block" disabled={login.isPending || throttled}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
