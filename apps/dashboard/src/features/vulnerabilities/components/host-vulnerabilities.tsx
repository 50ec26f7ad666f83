import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { csvUrl, useHostVulnerabilities } from '../api/get-vulnerabilities';
import { FeedFreshness, HostVulnerabilityTable } from './vulnerability-tables';

/** A host's known vulnerabilities, reachable ones first; kernels not running are listed last. */
export function HostVulnerabilities({ hostId }: { hostId: string }) {
  const q = useHostVulnerabilities(hostId);
  const counted = q.data?.items.filter((i) => i.exposure !== 'not_running').length;
  return (
    <Section
      title="Known vulnerabilities"
      meta={counted !== undefined ? String(counted) : undefined}
      actions={<a href={csvUrl(`/hosts/${encodeURIComponent(hostId)}/vulnerabilities`)}>CSV</a>}
    >
      {q.isPending ? (
        <LoadingState label="Loading vulnerabilities…" />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <>
          <p>
            {q.data.release ? `Matched against ${q.data.release} advisories. ` : 'No advisory data covers this host’s OS. '}
            <FeedFreshness feeds={q.data.feeds} />
          </p>
          {q.data.items.length === 0 ? (
            <EmptyState title="No known vulnerability on this host" />
          ) : (
            <HostVulnerabilityTable items={q.data.items} />
          )}
        </>
      )}
    </Section>
  );
}
