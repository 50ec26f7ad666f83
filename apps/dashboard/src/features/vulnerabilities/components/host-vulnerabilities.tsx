import type { HostVulnerability } from '@plumbline/protocol/vulnerabilities';
import type { ReactNode } from 'react';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { csvUrl, useHostVulnerabilities } from '../api/get-vulnerabilities';
import { FeedFreshness, HostVulnerabilityTable, type RowExtras } from './vulnerability-tables';

/**
 * A host's known vulnerabilities, reachable ones first; kernels not running are listed last, waived
 * findings are marked. `actions` and `detail` add a row action and what it opens; `status` says
 * what it did.
 */
export function HostVulnerabilities({ hostId, status, ...extras }: { hostId: string; status?: ReactNode } & RowExtras<HostVulnerability>) {
  const q = useHostVulnerabilities(hostId);
  const counted = q.data?.items.filter((i) => i.exposure !== 'not_running').length;
  const waived = q.data?.items.filter((i) => i.waived && i.exposure !== 'not_running').length ?? 0;
  return (
    <Section
      title="Known vulnerabilities"
      meta={counted !== undefined ? `${counted}${waived ? ` (${waived} waived)` : ''}` : undefined}
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
          {status}
          {q.data.items.length === 0 ? (
            <EmptyState title="No known vulnerability on this host" />
          ) : (
            <HostVulnerabilityTable items={q.data.items} {...extras} />
          )}
        </>
      )}
    </Section>
  );
}
