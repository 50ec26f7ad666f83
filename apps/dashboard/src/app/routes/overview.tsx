import { PageHeader } from '@/components/page-header';
import { Section } from '@/components/section';
import { FleetCounts } from '@/features/overview/components/fleet-counts';

export function OverviewRoute() {
  return (
    <>
      <PageHeader title="Fleet overview" documentTitle="Overview" />
      <Section title="Hosts">
        <FleetCounts />
      </Section>
    </>
  );
}
