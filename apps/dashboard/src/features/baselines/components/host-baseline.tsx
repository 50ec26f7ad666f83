import { AbsoluteTime, RelativeTime } from '@/components/relative-time';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { Term } from '@/components/term';
import { MutationError } from '@/components/form';
import { formatCount } from '@/lib/format';
import { useBaseline } from '../api/get-baseline';
import { useClearBaseline } from '../api/clear-baseline';
import { ApproveBaseline } from './approve-baseline';
import { BaselineComparisonView } from './baseline-comparison';
import { GoldenHostLine } from './golden-host';

/** The host page's baseline section: what was approved, by whom, and how the host differs from it now. */
export function HostBaseline({ host, canApprove }: { host: { id: string; hostname: string; group: string | null }; canApprove: boolean }) {
  const baseline = useBaseline(host.id);
  const clear = useClearBaseline(host.id);
  const b = baseline.data;
  return (
    <Section title="Baseline" meta={b ? 'approved' : undefined}>
      {baseline.isPending ? (
        <LoadingState label="Loading baseline…" />
      ) : baseline.isError ? (
        <ErrorState error={baseline.error} onRetry={() => void baseline.refetch()} />
      ) : (
        <>
          {b ? (
            <dl className="facts-grid" aria-label="Approved baseline">
              <Term term="Approved by">{b.approvedBy}</Term>
              <Term term="Approved">
                <RelativeTime iso={b.approvedAt} />{' '}
                <span className="muted small">
                  (<AbsoluteTime iso={b.approvedAt} />)
                </span>
              </Term>
              <Term term="Facts observed">
                <AbsoluteTime iso={b.factsObservedAt} />
              </Term>
              <Term term="Contents">
                {formatCount(b.factCount)} facts, {formatCount(b.verdictCount)} rule verdicts
              </Term>
              <Term term="Note">{b.note ?? <span className="muted">none</span>}</Term>
            </dl>
          ) : (
            <EmptyState title="No baseline approved for this host">
              Approve its current state to be told when it departs from it
              {host.group ? `, or compare it with the golden host of ${host.group}` : ''}.
            </EmptyState>
          )}
          <ApproveBaseline
            hostId={host.id}
            hostname={host.hostname}
            canApprove={canApprove}
            replaces={Boolean(b)}
            extraActions={
              b && canApprove ? (
                <button
                  type="button"
                  className="btn"
                  disabled={clear.isPending}
                  onClick={() => {
                    if (window.confirm(`Clear the baseline of ${host.hostname}? Its changes no longer raise baseline drift.`))
                      clear.mutate();
                  }}
                >
                  Clear baseline
                </button>
              ) : null
            }
          />
          <MutationError mutation={clear} />
          {host.group ? <GoldenHostLine host={host} group={host.group} canSet={canApprove} /> : null}
          <BaselineComparisonView key={b?.approvedAt ?? 'none'} hostId={host.id} group={host.group} hasOwn={Boolean(b)} />
        </>
      )}
    </Section>
  );
}
