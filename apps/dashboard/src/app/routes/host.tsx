import { Link, useParams } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { ErrorState, LoadingState } from '@/components/states';
import { useHost } from '@/features/hosts/api/get-host';
import { FactErrors } from '@/features/hosts/components/fact-errors';
import { FactsExplorer } from '@/features/hosts/components/facts-explorer';
import { HostHeader } from '@/features/hosts/components/host-header';
import { ListeningPorts } from '@/features/hosts/components/listening-ports';
import { RecentChanges } from '@/features/hosts/components/recent-changes';
import { SshSettings } from '@/features/hosts/components/ssh-settings';
import { ApiError } from '@/lib/api-client';

export function HostRoute() {
  const { hostId = '' } = useParams();
  const host = useHost(hostId);

  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/hosts">Hosts</Link> <span aria-hidden="true">/</span>
    </nav>
  );

  if (host.isPending) {
    return (
      <>
        {breadcrumb}
        <LoadingState label="Loading host…" />
      </>
    );
  }
  if (host.isError) {
    // A malformed id in the URL names no host either (the server answers 400 for it).
    const notFound = host.error instanceof ApiError && (host.error.status === 404 || host.error.status === 400);
    return (
      <>
        {breadcrumb}
        <PageHeader title={notFound ? 'Host not found' : 'Host'} documentTitle={notFound ? 'Host not found' : 'Host'} />
        {notFound ? (
          <p>
            No host has the id <code>{hostId}</code>. It may have been removed. <Link to="/hosts">Back to hosts</Link>
          </p>
        ) : (
          <ErrorState error={host.error} onRetry={() => void host.refetch()} />
        )}
      </>
    );
  }

  const { facts, factErrors } = host.data;
  return (
    <>
      {breadcrumb}
      <HostHeader host={host.data} />
      <FactErrors errors={factErrors} />
      <div className="host-sections">
        <ListeningPorts sockets={facts?.listening_sockets} error={Boolean(factErrors?.listening_sockets)} />
        <SshSettings config={facts?.sshd_config} error={Boolean(factErrors?.sshd_config)} />
        <RecentChanges hostId={host.data.id} />
        <FactsExplorer facts={facts} />
      </div>
    </>
  );
}
