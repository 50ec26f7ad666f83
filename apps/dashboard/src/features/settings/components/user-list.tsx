import { useState } from 'react';
import { Pagination } from '@/components/pagination';
import { CodeBlock } from '@/components/copy-button';
import { RelativeTime } from '@/components/relative-time';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { errorMessage } from '@/lib/api-client';
import type { UserItem } from '@plumbline/protocol/access';
import { Role } from '@plumbline/protocol/api';
import { useUsers } from '../api/get-users';
import { useResetPassword } from '../api/reset-password';
import { useUpdateUser } from '../api/update-user';

const PAGE = 20;

function UserRow({ user, self }: { user: UserItem; self: boolean }) {
  const update = useUpdateUser();
  const reset = useResetPassword();
  return (
    <>
    <tr>
      <th scope="row" className="cell-primary">
        {user.email}
      </th>
      <td>
        {/* Shows the choice while it is saved, then the stored role: a refused change (the last admin) snaps back. */}
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
      </td>
      <td className="nowrap">
        <RelativeTime iso={user.createdAt} />
      </td>
      <td className="nowrap">
        <RelativeTime iso={user.lastLoginAt} />
      </td>
      <td>{user.disabled ? <span className="badge badge-off">disabled</span> : <span className="badge badge-ok">active</span>}</td>
      <td className="row-actions">
        {user.disabled ? (
          <button
            type="button"
            className="btn btn-small"
            disabled={update.isPending}
            aria-label={`Enable ${user.email}`}
            onClick={() => update.mutate({ id: user.id, change: { disabled: false } })}
          >
            Enable
          </button>
        ) : (
          <button
            type="button"
            className="btn btn-small btn-danger"
            disabled={update.isPending}
            aria-label={`Disable ${user.email}`}
            onClick={() => {
              if (window.confirm(`Disable ${user.email}? Their sessions end now and they can no longer sign in.`)) {
                update.mutate({ id: user.id, change: { disabled: true } });
              }
            }}
          >
            Disable
          </button>
        )}
        {self ? null : (
          <button
            type="button"
            className="btn btn-small"
            disabled={reset.isPending}
            aria-label={`Reset password of ${user.email}`}
            onClick={() => {
              if (window.confirm(`Reset the password of ${user.email}? Their sessions end now; they sign in with a one-time password and must choose a new one.`)) {
                reset.mutate(user.id);
              }
            }}
          >
            Reset password
          </button>
        )}
        {update.isError ? (
          <span className="form-error small" role="alert">
            {errorMessage(update.error)}
          </span>
        ) : null}
        {reset.isError ? (
          <span className="form-error small" role="alert">
            {errorMessage(reset.error)}
          </span>
        ) : null}
      </td>
    </tr>
    {reset.data ? (
      <tr>
        <td colSpan={6}>
          <div className="secret" role="status">
            <p>
              <strong>Password of {reset.data.email} reset</strong> ({reset.data.sessionsEnded} session(s) ended). Hand over this one-time
              password; it is shown only once, and must be changed at the next sign-in.
            </p>
            <CodeBlock code={reset.data.temporaryPassword} label="One-time password" />
          </div>
        </td>
      </tr>
    ) : null}
    </>
  );
}

/** Dashboard users with their role and state; admins re-role, disable, re-enable them and reset passwords here. */
export function UserList({ selfId }: { selfId?: string | undefined }) {
  const [offset, setOffset] = useState(0);
  const users = useUsers({ limit: PAGE, offset });
  if (users.isPending) return <LoadingState label="Loading users…" />;
  if (users.isError) return <ErrorState error={users.error} onRetry={() => void users.refetch()} />;
  if (users.data.items.length === 0) return <EmptyState title="No users yet" />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">Users, by email</caption>
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Created</th>
              <th scope="col">Last login</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.map((u) => (
              <UserRow key={u.id} user={u} self={u.id === selfId} />
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="User pages" offset={offset} limit={PAGE} total={users.data.total} shown={users.data.items.length} onChange={setOffset} />
    </>
  );
}
