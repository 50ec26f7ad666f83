import { BarChart } from '@/components/bar-chart';
import { scoreTone } from '@/lib/format';
import type { FleetSummary } from '@plumbline/protocol/api';

export function ScoreDistribution({ distribution }: { distribution: FleetSummary['distribution'] }) {
  return (
    <BarChart
      title="Hosts by score"
      unit="Hosts"
      bars={distribution.map((b) => ({ label: `${b.from}–${b.to}`, value: b.hosts, tone: scoreTone(b.from + 5) }))}
    />
  );
}
