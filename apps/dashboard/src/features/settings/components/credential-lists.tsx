import { useState } from 'react';
import { Pagination } from '@/components/pagination';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { errorMessage } from '@/lib/api-client';
import { formatCount } from '@/lib/format';
import { useApiKeys } from '../api/get-api-keys';
import type { EnrollmentTokenItem } from '@plumbline/protocol/access';
import { useEnrollmentTokens } from '../api/get-enrollment-tokens';
import { useRevokeCredential, type CredentialKind } from '../api/revoke-credential';

const PAGE = 20;

function CredentialState({ revokedAt, expiresAt, exhausted = false }: { revokedAt: string | null; expiresAt?: string | null; exhausted?: boolean }) {
  if (revokedAt) return <span className="badge badge-off">revoked</span>;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) return <span className="badge badge-neutral">expired</span>;
  if (exhausted) return <span className="badge badge-neutral">used up</span>;
  return <span className="badge badge-ok">active</span>;
}

function RevokeButton({ kind, id, name, what }: { kind: CredentialKind; id: string; name: string; what: string }) {
  const revoke = useRevokeCredential(kind);
  return (
    <>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={revoke.isPending}
        aria-label={`Revoke ${what} ${name}`}
        onClick={() => {
          if (window.confirm(`Revoke the ${what} “${name}”? Whatever uses it is refused from now on.`)) revoke.mutate(id);
        }}
      >
        {revoke.isPending ? 'Revoking…' : 'Revoke'}
      </button>
      {revoke.isError ? (
        <span className="form-error small" role="alert">
          {errorMessage(revoke.error)}
        </span>
      ) : null}
    </>
  );
}

const exhausted = (t: EnrollmentTokenItem) => t.maxUses !== null && t.uses >= t.maxUses;

/** Enrollment tokens by prefix (only hashes are stored), with their group, uses and expiry. */
export function EnrollmentTokenList() {
  const [offset, setOffset] = useState(0);
  const tokens = useEnrollmentTokens({ limit: PAGE, offset });
  if (tokens.isPending) return <LoadingState label="Loading enrollment tokens…" />;
  if (tokens.isError) return <ErrorState error={tokens.error} onRetry={() => void tokens.refetch()} />;
  if (tokens.data.items.length === 0) return <EmptyState title="No enrollment tokens yet">Create one above to enroll hosts.</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">Enrollment tokens, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Group</th>
              <th scope="col" className="num">
                Uses
              </th>
              <th scope="col">Expires</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {tokens.data.items.map((t) => (
              <tr key={t.id}>
                <th scope="row" className="cell-primary">
                  {t.name}
                </th>
                <td className="mono">{t.prefix}…</td>
                <td>{t.group ?? <span className="muted">none</span>}</td>
                <td className="num">
                  {formatCount(t.uses)}
                  {t.maxUses !== null ? ` / ${formatCount(t.maxUses)}` : ''}
                </td>
                <td className="nowrap">{t.expiresAt ? <AbsoluteTime iso={t.expiresAt} /> : <span className="muted">never</span>}</td>
                <td className="nowrap">
                  <RelativeTime iso={t.createdAt} />
                </td>
                <td>
                  <CredentialState revokedAt={t.revokedAt} expiresAt={t.expiresAt} exhausted={exhausted(t)} />
                </td>
                <td className="row-actions">{t.revokedAt ? null : <RevokeButton kind="enrollment-tokens" id={t.id} name={t.name} what="enrollment token" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="Enrollment token pages" offset={offset} limit={PAGE} total={tokens.data.total} shown={tokens.data.items.length} onChange={setOffset} />
    </>
  );
}

/** API keys by prefix, with role and last use. */
export function ApiKeyList() {
  const [offset, setOffset] = useState(0);
  const keys = useApiKeys({ limit: PAGE, offset });
  if (keys.isPending) return <LoadingState label="Loading API keys…" />;
  if (keys.isError) return <ErrorState error={keys.error} onRetry={() => void keys.refetch()} />;
  if (keys.data.items.length === 0) return <EmptyState title="No API keys yet" />;
  return (
    <>
      <div className="table-wrap">
        <table className="table table-compact">
          <caption className="visually-hidden">API keys, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Prefix</th>
              <th scope="col">Role</th>
              <th scope="col">Last used</th>
              <th scope="col">Created</th>
              <th scope="col">State</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <th scope="row" className="cell-primary">
                  {k.name}
                </th>
                <td className="mono">{k.prefix}…</td>
                <td>
                  {k.role}
                  {k.group ? <div className="muted small">group {k.group}</div> : null}
                </td>
                <td className="nowrap">
                  <RelativeTime iso={k.lastUsedAt} />
                </td>
                <td className="nowrap">
                  <RelativeTime iso={k.createdAt} />
                </td>
                <td>
                  <CredentialState revokedAt={k.revokedAt} expiresAt={k.expiresAt} />
                </td>
                <td className="row-actions">{k.revokedAt ? null : <RevokeButton kind="api-keys" id={k.id} name={k.name} what="API key" />}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination label="API key pages" offset={offset} limit={PAGE} total={keys.data.total} shown={keys.data.items.length} onChange={setOffset} />
    </>
  );
}
