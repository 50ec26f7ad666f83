import { Link, useParams } from 'react-router';
import { SeverityBadge } from '@/components/badges';
import { PageHeader } from '@/components/page-header';
import { PagedView, usePaging } from '@/components/paged-table';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { References, Remediation } from '@/features/hosts/components/result-detail';
import { useRule } from '@/features/rules/api/get-rule';
import { useRuleHosts } from '@/features/rules/api/get-rule-hosts';
import { RuleHostsTable } from '@/features/rules/components/rule-hosts-table';
import { formatCount } from '@/lib/format';
import { DownloadCsv } from '@/components/download-csv';
import { Term } from '@/components/term';
import { useSession } from '@/features/auth/api/get-session';
import { WaiveFailingForm } from '@/features/waivers/components/waive-failing-form';

const PAGE = 50;

function FailingHosts({ ruleId }: { ruleId: string }) {
  const paging = usePaging(PAGE);
  const hosts = useRuleHosts(ruleId, { status: 'fail', ...paging.params });
  const session = useSession();
  const canAct = session.data?.user.role === 'admin' || session.data?.user.role === 'operator';
  return (
    <Section
      title="Hosts failing this rule"
      meta={hosts.data ? formatCount(hosts.data.total) : undefined}
      actions={<DownloadCsv path={`/rules/${encodeURIComponent(ruleId)}/hosts`} query={{ status: 'fail' }} />}
    >
      {canAct && hosts.data ? <WaiveFailingForm ruleId={ruleId} failing={hosts.data.total} /> : null}
      <PagedView
        query={hosts}
        paging={paging}
        loading="Loading hosts…"
        empty={<EmptyState title="No host fails this rule" />}
        pagesLabel="Failing hosts pages"
        pagerWhenOnePage={false}
      >
        {(items) => <RuleHostsTable items={items} ruleId={ruleId} caption="Hosts failing this rule, longest failing first" />}
      </PagedView>
    </Section>
  );
}

export function RuleRoute() {
  const { ruleId = '' } = useParams();
  const rule = useRule(ruleId);
  const breadcrumb = (
    <nav aria-label="Breadcrumb" className="breadcrumb">
      <Link to="/rules">Rules</Link> <span aria-hidden="true">/</span>
    </nav>
  );
  return (
    <>
      {breadcrumb}
      {rule.isPending ? (
        <LoadingState label="Loading rule…" />
      ) : rule.isError ? (
        <>
          <PageHeader title={ruleId} documentTitle={ruleId} />
          <ErrorState error={rule.error} onRetry={() => void rule.refetch()} />
        </>
      ) : rule.data === null ? (
        <>
          <PageHeader title={ruleId} documentTitle={`${ruleId} · Rules`} />
          <EmptyState title="This rule's text is not available">The server has no rule with this id.</EmptyState>
        </>
      ) : (
        <>
          <PageHeader title={rule.data.title} documentTitle={`${rule.data.title} · Rules`}>
            <SeverityBadge severity={rule.data.severity} />
          </PageHeader>
          <dl className="facts-grid">
            <Term term="Rule" className="mono">
              {rule.data.id}
            </Term>
            <Term term="Section">
              <span className="mono">{rule.data.section.id}</span> {rule.data.section.name}
            </Term>
            <Term term="Levels">{rule.data.levels.join(', ') || '—'}</Term>
            <Term term="Profiles" className="mono small">
              {rule.data.profiles.join(', ') || '—'}
            </Term>
          </dl>
          <Section title="About this rule">
            {rule.data.description ? <p>{rule.data.description}</p> : null}
            <h3>Rationale</h3>
            <p>{rule.data.rationale}</p>
            <h3>References</h3>
            <References references={rule.data.references} />
          </Section>
          <Section title="Remediation">
            <Remediation remediation={rule.data.remediation} />
          </Section>
        </>
      )}
      <FailingHosts ruleId={ruleId} />
    </>
  );
}
