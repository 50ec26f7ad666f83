import { useId, useState } from 'react';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useSession } from '@/features/auth/api/get-session';
import { useAudit } from '@/features/settings/api/get-audit';
import { ApiKeyForm } from '@/features/settings/components/api-key-form';
import { AuditTable } from '@/features/settings/components/audit-table';
import { EnrollmentForm } from '@/features/settings/components/enrollment-form';
import { UserForm } from '@/features/settings/components/user-form';

const PAGE = 50;

function AuditTrail() {
  const id = useId();
  const [offset, setOffset] = useState(0);
  const [action, setAction] = useState('');
  const audit = useAudit({ limit: PAGE, offset, action });
  return (
    <Section title="Audit trail" meta="append-only, hash-chained">
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={`${id}-action`}>Action</label>
          <input
            id={`${id}-action`}
            value={action}
            placeholder="e.g. waiver.create"
            onChange={(e) => {
              setAction(e.target.value.trim());
              setOffset(0);
            }}
          />
        </div>
      </div>
      {audit.isPending ? (
        <LoadingState label="Loading the audit trail…" />
      ) : audit.isError ? (
        <ErrorState error={audit.error} onRetry={() => void audit.refetch()} />
      ) : audit.data.items.length === 0 ? (
        <EmptyState title="No entries" />
      ) : (
        <>
          <AuditTable items={audit.data.items} />
          <Pagination label="Audit pages" offset={offset} limit={PAGE} total={audit.data.total} shown={audit.data.items.length} onChange={setOffset} />
        </>
      )}
    </Section>
  );
}

export function SettingsRoute() {
  const session = useSession();
  const role = session.data?.user.role;
  return (
    <>
      <PageHeader title="Settings" documentTitle="Settings" />
      {role === 'admin' || role === 'operator' ? (
        <Section title="Enroll hosts">
          <p className="muted">
            Create a token, then run the install command on each host as root. The agent installs itself as a systemd service and
            appears in the hosts list when it connects.
          </p>
          <EnrollmentForm />
        </Section>
      ) : null}
      {role === 'admin' ? (
        <>
          <Section title="Users">
            <UserForm />
          </Section>
          <Section title="API keys">
            <ApiKeyForm />
          </Section>
        </>
      ) : (
        <p className="muted">Users and API keys are managed by an admin.</p>
      )}
      <AuditTrail />
    </>
  );
}
