import { useEffect, useRef } from 'react';
import { Navigate, NavLink, Outlet, ScrollRestoration, useLocation } from 'react-router';
import { ErrorState, LoadingState } from '@/components/states';
import { useSession } from '@/features/auth/api/get-session';
import { ChangePasswordForm } from '@/features/auth/components/change-password-form';
import { SignOutButton } from '@/features/auth/components/sign-out-button';
import { LiveIndicator } from '@/features/live/components/live-indicator';
import { LiveProvider } from '@/features/live/components/live-provider';

/** The signed-in frame: header with navigation, live status and sign-out; pages below. */
export function AppShell() {
  const session = useSession();
  const location = useLocation();
  const mainRef = useRef<HTMLElement>(null);
  const firstPath = useRef(location.pathname);

  // Move focus to the new page on navigation so keyboard and screen reader users start there.
  useEffect(() => {
    if (location.pathname === firstPath.current) return;
    firstPath.current = location.pathname;
    mainRef.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  if (session.isPending) {
    return (
      <main className="centered">
        <LoadingState label="Checking your session…" />
      </main>
    );
  }
  if (session.isError) {
    return (
      <main className="centered">
        <title>Plumbline</title>
        <ErrorState title="Cannot reach the Plumbline server" error={session.error} onRetry={() => void session.refetch()} />
      </main>
    );
  }
  if (!session.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }

  // After an admin's reset the server refuses everything else: no app, no live feed, until a new password.
  if (session.data.mustChangePassword) {
    return (
      <div className="auth-page">
        <title>Choose a new password · Plumbline</title>
        <main className="auth-card">
          <ChangePasswordForm forced />
          <div className="auth-alt">
            <SignOutButton className="btn btn-small" />
          </div>
        </main>
      </div>
    );
  }

  const { user } = session.data;
  return (
    <LiveProvider enabled>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/" className="brand" aria-label="Plumbline overview">
          <svg viewBox="0 0 32 32" width="20" height="20" aria-hidden="true">
            <path d="M16 5v16" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
            <path d="M11 21h10l-5 7z" fill="var(--accent)" />
          </svg>
          Plumbline
        </NavLink>
        <nav aria-label="Main" className="app-nav">
          <NavLink to="/" end>
            Overview
          </NavLink>
          <NavLink to="/hosts">Hosts</NavLink>
          <NavLink to="/rules">Rules</NavLink>
          <NavLink to="/vulnerabilities">Vulnerabilities</NavLink>
          <NavLink to="/drift">Drift</NavLink>
          <NavLink to="/waivers">Waivers</NavLink>
          <NavLink to="/reports">Reports</NavLink>
          <NavLink to="/audit">Audit</NavLink>
          <NavLink to="/settings">Settings</NavLink>
        </nav>
        <div className="app-header-end">
          <LiveIndicator />
          <span className="user" title={`Signed in as ${user.email} (${user.role})`}>
            {user.email} <span className="role">{user.role}</span>
          </span>
          <SignOutButton />
        </div>
      </header>
      <main id="main" ref={mainRef} tabIndex={-1} className="app-main">
        <Outlet />
      </main>
      <ScrollRestoration />
    </LiveProvider>
  );
}
