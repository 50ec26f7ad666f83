import { Link } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { RelativeTime } from '@/components/relative-time';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { useDrift } from '@/features/drift/api/get-drift';
import { DriftTable } from '@/features/drift/components/drift-table';
import { useSummary } from '@/features/overview/api/get-summary';
import { FleetScore } from '@/features/overview/components/fleet-score';
import { FleetTrend } from '@/features/overview/components/fleet-trend';
import { GroupScores } from '@/features/overview/components/group-scores';
import { OfflineHosts } from '@/features/overview/components/offline-hosts';
import { ScoreDistribution } from '@/features/overview/components/score-distribution';
import { useTriage } from '@/features/overview/api/get-triage';
import { FixFirstRules } from '@/features/overview/components/fix-first-rules';
import { WorstHosts } from '@/features/overview/components/worst-hosts';

const LATEST = { limit: 10, offset: 0 };

/** What to fix first: the worst hosts and the rules worth most to the fleet score. */
function FixFirst() {
  const triage = useTriage();
  if (triage.isPending) return <LoadingState label="Loading what to fix first…" />;
  if (triage.isError) return <ErrorState error={triage.error} onRetry={() => void triage.refetch()} />;
  return (
    <div className="grid-2">
      <Section
        title="Fix first: worst hosts"
        meta="lowest score first"
        actions={<Link to="/hosts?sort=score&order=asc">All hosts by score</Link>}
      >
        <WorstHosts hosts={triage.data.worstHosts} />
      </Section>
      <Section title="Fix first: rules" meta="severity weight × failing hosts" actions={<Link to="/rules">All rules</Link>}>
        <FixFirstRules rules={triage.data.fixFirst} />
      </Section>
    </div>
  );
}

function LatestDrift() {
  const drift = useDrift(LATEST);
  if (drift.isPending) return <LoadingState label="Loading drift…" />;
  if (drift.isError) return <ErrorState error={drift.error} onRetry={() => void drift.refetch()} />;
  if (drift.data.items.length === 0) return <EmptyState title="No drift yet">Changes on any host appear here as they happen.</EmptyState>;
  return <DriftTable items={drift.data.items} caption="Latest drift across the fleet" />;
}

export function OverviewRoute() {
  const summary = useSummary();
  return (
    <>
      <PageHeader title="Fleet overview" documentTitle="Overview">
        {summary.data ? (
          <span className="muted small">
            as of <RelativeTime iso={summary.data.generatedAt} />
          </span>
        ) : null}
      </PageHeader>
      {summary.isPending ? (
        <LoadingState label="Loading the fleet summary…" />
      ) : summary.isError ? (
        <ErrorState error={summary.error} onRetry={() => void summary.refetch()} />
      ) : summary.data.fleet.hosts === 0 ? (
        <Section title="Score">
          <EmptyState title="No hosts enrolled yet">
            <Link to="/settings">Create an enrollment token</Link> and run the one-line install on a host; it appears here as soon as it
            connects.
          </EmptyState>
        </Section>
      ) : (
        <>
          <Section title="Score" meta="severity-weighted pass / (pass + fail)">
            <FleetScore summary={summary.data} />
          </Section>
          <FixFirst />
          <div className="grid-2">
            <Section title="Score distribution" meta="hosts per 10 points; a bar opens its hosts">
              <ScoreDistribution distribution={summary.data.distribution} />
            </Section>
            <Section title="Score trend" meta="last 30 days, with and without waivers">
              <FleetTrend />
            </Section>
          </div>
          <div className="grid-2">
            <Section title="Groups">
              <GroupScores groups={summary.data.groups} />
            </Section>
            <Section title="Offline hosts" meta={String(summary.data.fleet.offline)}>
              <OfflineHosts hosts={summary.data.offlineHosts} />
            </Section>
          </div>
        </>
      )}
      <Section title="Latest drift" meta="live" actions={<Link to="/drift">Drift feed</Link>}>
        <LatestDrift />
      </Section>
    </>
  );
}
