import type { ApiKeyItem, EnrollmentTokenItem } from '@plumbline/protocol/access';
import { Dash } from '@/components/cells';
import { ActionButton } from '@/components/action-button';
import { actionsColumn, column, type Column } from '@/components/data-table';
import { PagedTable, usePaging } from '@/components/paged-table';
import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { EmptyState } from '@/components/states';
import { formatCount } from '@/lib/format';
import { useApiKeys } from '../api/get-api-keys';
import { useEnrollmentTokens } from '../api/get-enrollment-tokens';
import { useRevokeCredential, type CredentialKind } from '../api/revoke-credential';

const PAGE = 20;

function CredentialState({
  revokedAt,
  expiresAt,
  exhausted = false,
}: {
  revokedAt: string | null;
  expiresAt: string | null;
  exhausted?: boolean;
}) {
  if (revokedAt) return <span className="badge badge-off">revoked</span>;
  if (expiresAt && Date.parse(expiresAt) <= Date.now()) return <span className="badge badge-neutral">expired</span>;
  if (exhausted) return <span className="badge badge-neutral">used up</span>;
  return <span className="badge badge-ok">active</span>;
}

function RevokeButton({ kind, id, name, what }: { kind: CredentialKind; id: string; name: string; what: string }) {
  const revoke = useRevokeCredential(kind);
  return (
    <ActionButton
      danger
      label="Revoke"
      pendingLabel="Revoking…"
      ariaLabel={`Revoke ${what} ${name}`}
      confirm={`Revoke the ${what} “${name}”? Whatever uses it is refused from now on.`}
      onAction={() => revoke.mutate(id)}
      pending={revoke.isPending}
      error={revoke.error}
    />
  );
}

/** Name and prefix open both lists: credentials are shown by prefix, only their hashes are stored. */
function identityColumns<T extends { name: string; prefix: string }>(): Column<T>[] {
  return [column('Name', (c) => c.name, { rowHeader: true }), column('Prefix', (c) => `${c.prefix}…`, { className: 'mono' })];
}

const exhausted = (t: EnrollmentTokenItem) => t.maxUses !== null && t.uses >= t.maxUses;

const tokenColumns: Column<EnrollmentTokenItem>[] = [
  ...identityColumns<EnrollmentTokenItem>(),
  column('Group', (t) => t.group ?? <Dash text="none" />),
  column('Uses', (t) => `${formatCount(t.uses)}${t.maxUses !== null ? ` / ${formatCount(t.maxUses)}` : ''}`, { num: true }),
  column('Expires', (t) => (t.expiresAt ? <AbsoluteTime iso={t.expiresAt} /> : <Dash text="never" />), { className: 'nowrap' }),
  column('Created', (t) => <RelativeTime iso={t.createdAt} />, { className: 'nowrap' }),
  column('State', (t) => <CredentialState revokedAt={t.revokedAt} expiresAt={t.expiresAt} exhausted={exhausted(t)} />),
  actionsColumn((t) => (t.revokedAt ? null : <RevokeButton kind="enrollment-tokens" id={t.id} name={t.name} what="enrollment token" />)),
];

/** Enrollment tokens with their group, uses and expiry. */
export function EnrollmentTokenList() {
  const paging = usePaging(PAGE);
  return (
    <PagedTable
      query={useEnrollmentTokens(paging.params)}
      paging={paging}
      loading="Loading enrollment tokens…"
      empty={<EmptyState title="No enrollment tokens yet">Create one above to enroll hosts.</EmptyState>}
      pagesLabel="Enrollment token pages"
      caption="Enrollment tokens, newest first"
      columns={tokenColumns}
      compact
    />
  );
}

const keyColumns: Column<ApiKeyItem>[] = [
  ...identityColumns<ApiKeyItem>(),
  column('Role', (k) => (
    <>
      {k.role}
      {k.group ? <div className="muted small">group {k.group}</div> : null}
    </>
  )),
  column('Last used', (k) => <RelativeTime iso={k.lastUsedAt} />, { className: 'nowrap' }),
  column('Created', (k) => <RelativeTime iso={k.createdAt} />, { className: 'nowrap' }),
  column('State', (k) => <CredentialState revokedAt={k.revokedAt} expiresAt={k.expiresAt} />),
  actionsColumn((k) => (k.revokedAt ? null : <RevokeButton kind="api-keys" id={k.id} name={k.name} what="API key" />)),
];

/** API keys with role and last use. */
export function ApiKeyList() {
  const paging = usePaging(PAGE);
  return (
    <PagedTable
      query={useApiKeys(paging.params)}
      paging={paging}
      loading="Loading API keys…"
      empty="No API keys yet"
      pagesLabel="API key pages"
      caption="API keys, newest first"
      columns={keyColumns}
      compact
    />
  );
}
