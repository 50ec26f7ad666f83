import { LineChart } from '@/components/line-chart';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { formatScore } from '@/lib/format';
import { useSummaryTrend } from '../api/get-summary-trend';

const PARAMS = { bucket: 'hour' } as const;

/** The fleet score over the last 30 days (the server's default), with and without waivers. */
export function FleetTrend() {
  const trend = useSummaryTrend(PARAMS);
  if (trend.isPending) return <LoadingState label="Loading the score trend…" />;
  if (trend.isError) return <ErrorState error={trend.error} onRetry={() => void trend.refetch()} />;
  const points = trend.data.points;
  if (!points.some((p) => p.score !== null))
    return <EmptyState title="No score yet">The trend starts with the first evaluated host.</EmptyState>;
  return (
    <LineChart
      title="Fleet score over time, without and with waivers"
      times={points.map((p) => p.at)}
      valueFormat={formatScore}
      series={[
        { label: 'Score', tone: 'primary', values: points.map((p) => p.score) },
        { label: 'With waivers', tone: 'waived', dashed: true, values: points.map((p) => p.scoreWithWaivers) },
      ]}
    />
  );
}
