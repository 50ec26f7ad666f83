import type { UserItem } from '@plumbline/protocol/access';
import type { PasswordReset } from '@plumbline/protocol/api';
import { Role } from '@plumbline/protocol/api';
import { useMemo, useState } from 'react';
import { ActionButton } from '@/components/action-button';
import { CodeBlock } from '@/components/copy-button';
import { MutationError, SecretReveal } from '@/components/form';
import { actionsColumn, column, type Column } from '@/components/data-table';
import { PagedTable, usePaging } from '@/components/paged-table';
import { RelativeTime } from '@/components/relative-time';
import { useUsers } from '../api/get-users';
import { useResetPassword } from '../api/reset-password';
import { useUpdateUser } from '../api/update-user';

const PAGE = 20;

function RoleSelect({ user }: { user: UserItem }) {
  const update = useUpdateUser();
  // Shows the choice while it is saved, then the stored role: a refused change (the last admin) snaps back.
  return (
    <>
      <select
        aria-label={`Role for ${user.email}`}
        value={(update.isPending ? update.variables.change.role : undefined) ?? user.role}
        disabled={update.isPending}
        onChange={(e) => update.mutate({ id: user.id, change: { role: e.target.value as Role } })}
      >
        {Role.options.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      <MutationError mutation={update} className="form-error small" />
    </>
  );
}

function EnableToggle({ user }: { user: UserItem }) {
  const update = useUpdateUser();
  const common = { pending: update.isPending, error: update.error };
  return user.disabled ? (
    <ActionButton
      {...common}
      label="Enable"
      ariaLabel={`Enable ${user.email}`}
      onAction={() => update.mutate({ id: user.id, change: { disabled: false } })}
    />
  ) : (
    <ActionButton
      {...common}
      danger
      label="Disable"
      ariaLabel={`Disable ${user.email}`}
      confirm={`Disable ${user.email}? Their sessions end now and they can no longer sign in.`}
      onAction={() => update.mutate({ id: user.id, change: { disabled: true } })}
    />
  );
}

function ResetPasswordButton({ user, onReset }: { user: UserItem; onReset: (reset: PasswordReset) => void }) {
  const reset = useResetPassword();
  return (
    <ActionButton
      label="Reset password"
      ariaLabel={`Reset password of ${user.email}`}
      confirm={`Reset the password of ${user.email}? Their sessions end now; they sign in with a one-time password and must choose a new one.`}
      pending={reset.isPending}
      error={reset.error}
      onAction={() => reset.mutate(user.id, { onSuccess: onReset })}
    />
  );
}

/** The one-time password, under its user's row: shown once, never fetched again. */
function OneTimePassword({ reset }: { reset: PasswordReset }) {
  return (
    <SecretReveal>
      <p>
        <strong>Password of {reset.email} reset</strong> ({reset.sessionsEnded} session(s) ended). Hand over this one-time password; it is
        shown only once, and must be changed at the next sign-in.
      </p>
      <CodeBlock code={reset.temporaryPassword} label="One-time password" />
    </SecretReveal>
  );
}

/** Dashboard users with their role and state; admins re-role, disable, re-enable them and reset passwords here. */
export function UserList({ selfId }: { selfId?: string | undefined }) {
  const paging = usePaging(PAGE);
  const [shown, setShown] = useState<{ id: string; reset: PasswordReset } | null>(null);
  // Built once per signed-in user, so a reset shown under a row does not remount the rows' actions.
  const columns = useMemo<Column<UserItem>[]>(
    () => [
      column('Email', (u) => u.email, { rowHeader: true }),
      column('Role', (u) => <RoleSelect user={u} />),
      column('Created', (u) => <RelativeTime iso={u.createdAt} />, { className: 'nowrap' }),
      column('Last login', (u) => <RelativeTime iso={u.lastLoginAt} />, { className: 'nowrap' }),
      column('State', (u) =>
        u.disabled ? <span className="badge badge-off">disabled</span> : <span className="badge badge-ok">active</span>,
      ),
      actionsColumn((u) => (
        <>
          <EnableToggle user={u} />
          {u.id === selfId ? null : <ResetPasswordButton user={u} onReset={(reset) => setShown({ id: u.id, reset })} />}
        </>
      )),
    ],
    [selfId],
  );
  return (
    <PagedTable
      query={useUsers(paging.params)}
      paging={paging}
      loading="Loading users…"
      empty="No users yet"
      pagesLabel="User pages"
      caption="Users, by email"
      columns={columns}
      compact
      detail={(u) => (shown?.id === u.id ? <OneTimePassword reset={shown.reset} /> : null)}
    />
  );
}
