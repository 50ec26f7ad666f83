import { Navigate, useNavigate } from 'react-router';
import { ErrorState, LoadingState } from '@/components/states';
import { useSession } from '@/features/auth/api/get-session';
import { useSetup } from '@/features/auth/api/get-setup';
import { LoginForm } from '@/features/auth/components/login-form';
import { SetupForm } from '@/features/auth/components/setup-form';
import { useSafeNext } from '@/features/auth/hooks/use-safe-next';

export function LoginRoute() {
  const navigate = useNavigate();
  const next = useSafeNext();
  const session = useSession();
  const setup = useSetup();

  const goNext = () => navigate(next, { replace: true });

  let content;
  if (session.data) {
    return <Navigate to={next} replace />;
  } else if (session.isPending || setup.isPending) {
    content = <LoadingState />;
  } else if (session.isError) {
    content = <ErrorState title="Cannot reach the Plumbline server" error={session.error} onRetry={() => void session.refetch()} />;
  } else if (setup.data?.needed) {
    content = <SetupForm onDone={goNext} onAlreadyDone={() => void setup.refetch()} />;
  } else {
    // If the setup check itself failed, signing in is still the right default.
    content = <LoginForm onSignedIn={goNext} />;
  }

  return (
    <div className="auth-page">
      <title>{setup.data?.needed ? 'First-run setup · Plumbline' : 'Sign in · Plumbline'}</title>
      <header className="auth-brand">
        <svg viewBox="0 0 32 32" width="28" height="28" aria-hidden="true">
          <path d="M16 5v16" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
          <path d="M11 21h10l-5 7z" fill="var(--accent)" />
        </svg>
        <span>Plumbline</span>
      </header>
      <main className="auth-card">{content}</main>
      <footer className="auth-footer muted small">Fleet hardening compliance</footer>
    </div>
  );
}
