import { LineChart } from '@/components/line-chart';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatScore } from '@/lib/format';
import { useHostTrend } from '../api/get-host-trend';

/** This host's score over the last 30 days, with and without waivers. */
export function HostTrend({ hostId }: { hostId: string }) {
  const trend = useHostTrend(hostId);
  return (
    <Section title="Score trend" meta="last 30 days">
      {trend.isPending ? (
        <LoadingState label="Loading the score trend…" />
      ) : trend.isError ? (
        <ErrorState error={trend.error} onRetry={() => void trend.refetch()} />
      ) : !trend.data.points.some((p) => p.score !== null) ? (
        <EmptyState title="Not scored yet">The trend starts once the host has sent its first snapshot.</EmptyState>
      ) : (
        <LineChart
          title="Host score over time, without and with waivers"
          times={trend.data.points.map((p) => p.at)}
          valueFormat={formatScore}
          series={[
            { label: 'Score', tone: 'primary', values: trend.data.points.map((p) => p.score) },
            { label: 'With waivers', tone: 'waived', dashed: true, values: trend.data.points.map((p) => p.scoreWithWaivers) },
          ]}
        />
      )}
    </Section>
  );
}
