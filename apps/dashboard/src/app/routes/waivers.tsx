import { useSearchParams } from 'react-router';
import { DownloadCsv } from '@/components/download-csv';
import { PageHeader } from '@/components/page-header';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { TabLinks } from '@/components/tab-links';
import { useSession } from '@/features/auth/api/get-session';
import { useWaivers } from '@/features/waivers/api/get-waivers';
import { WaiversTable } from '@/features/waivers/components/waivers-table';

const STATES = [
  { id: 'active', label: 'Active' },
  { id: 'requested', label: 'Awaiting approval' },
  { id: 'expired', label: 'Expired' },
  { id: 'revoked', label: 'Revoked' },
] as const;

function ExpiringSoon({ canAct }: { canAct: boolean }) {
  const soon = useWaivers({ expiringWithinDays: 14, limit: 100, offset: 0 });
  if (soon.isPending) return <LoadingState label="Loading…" />;
  if (soon.isError) return <ErrorState error={soon.error} onRetry={() => void soon.refetch()} />;
  if (soon.data.items.length === 0) return <EmptyState title="Nothing expires in the next 14 days" />;
  return <WaiversTable waivers={soon.data.items} canAct={canAct} caption="Waivers expiring within 14 days" />;
}

export function WaiversRoute() {
  const [params] = useSearchParams();
  const state = STATES.find((s) => s.id === params.get('state'))?.id ?? 'active';
  const session = useSession();
  const canAct = session.data?.user.role === 'admin' || session.data?.user.role === 'operator';
  const waivers = useWaivers({ state, limit: 200, offset: 0 });

  return (
    <>
      <PageHeader title="Waivers" documentTitle="Waivers" />
      <p className="muted lead">
        A waiver accepts the risk of one failing rule, or of one known vulnerability (CVE), for a host, group or tag until it expires.
        Request one from a failing result or a finding on a host page, or for a group from the vulnerabilities page.
        {canAct ? '' : ' Your role can read waivers but not change them.'}
      </p>
      <Section title="Expiring soon" meta="within 14 days">
        <ExpiringSoon canAct={canAct} />
      </Section>
      <Section
        title="Waivers"
        meta={waivers.data ? String(waivers.data.total) : undefined}
        actions={<DownloadCsv path="/waivers" query={{ state }} />}
      >
        <TabLinks
          label="Waiver state"
          current={state}
          tabs={STATES.map((s) => ({ id: s.id, label: s.label, to: s.id === 'active' ? '/waivers' : `/waivers?state=${s.id}` }))}
        />
        {waivers.isPending ? (
          <LoadingState label="Loading waivers…" />
        ) : waivers.isError ? (
          <ErrorState error={waivers.error} onRetry={() => void waivers.refetch()} />
        ) : waivers.data.items.length === 0 ? (
          <EmptyState title={`No ${STATES.find((s) => s.id === state)?.label.toLowerCase()} waivers`} />
        ) : (
          <WaiversTable waivers={waivers.data.items} canAct={canAct} caption={`${state} waivers`} />
        )}
      </Section>
    </>
  );
}
