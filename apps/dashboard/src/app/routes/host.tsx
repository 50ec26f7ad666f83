import type { ResultItem } from '@plumbline/protocol/api';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { PageHeader } from '@/components/page-header';
import { QueryView } from '@/components/paged-table';
import { Section } from '@/components/section';
import { EmptyState, ErrorState, LoadingState } from '@/components/states';
import { groupChoices } from '@/components/group-field';
import { useSession } from '@/features/auth/api/get-session';
import { HostBaseline } from '@/features/baselines/components/host-baseline';
import { useDrift } from '@/features/drift/api/get-drift';
import { useGroups } from '@/features/groups/api/get-groups';
import { DriftTable } from '@/features/drift/components/drift-table';
import { useHost } from '@/features/hosts/api/get-host';
import { useHostResults } from '@/features/hosts/api/get-host-results';
import type { HostDetail } from '@plumbline/protocol/api';
import type { HostVulnerability } from '@plumbline/protocol/vulnerabilities';
import { FactErrors } from '@/features/hosts/components/fact-errors';
import { FactsExplorer } from '@/features/hosts/components/facts-explorer';
import { HostCompliance } from '@/features/hosts/components/host-compliance';
import { HostHeader } from '@/features/hosts/components/host-header';
import { HostIndex } from '@/features/hosts/components/host-index';
import { HostIdentityNotice } from '@/features/hosts/components/host-identity';
import { HostTrend } from '@/features/hosts/components/host-trend';
import { LISTENER_RULE, ListeningPorts } from '@/features/hosts/components/listening-ports';
import { RecentChanges } from '@/features/hosts/components/recent-changes';
import { SshSettings } from '@/features/hosts/components/ssh-settings';
import { HostVulnerabilities } from '@/features/vulnerabilities/components/host-vulnerabilities';
import { useWaivers } from '@/features/waivers/api/get-waivers';
import { useRowWaivers } from '@/features/waivers/components/row-waivers';
import { hostScopes, WaiveForm } from '@/features/waivers/components/waive-form';
import { WaiversTable } from '@/features/waivers/components/waivers-table';
import { ApiError } from '@/lib/api-client';

function WaiveAction({ result, host }: { result: ResultItem; host: HostDetail }) {
  const [open, setOpen] = useState(false);
  const [done, setDone] = useState(false);
  if (result.status !== 'fail' || result.waived) return done ? <p role="status">Waiver created.</p> : null;
  if (!open) {
    return (
      <button type="button" className="btn" onClick={() => setOpen(true)} aria-label={`Waive ${result.title}`}>
        Waive…
      </button>
    );
  }
  return (
    <WaiveForm
      target={{ ruleId: result.ruleId }}
      scopes={hostScopes(host)}
      onDone={() => {
        setOpen(false);
        setDone(true);
      }}
      onCancel={() => setOpen(false)}
    />
  );
}

/** The host's known vulnerabilities; those who may waive get a Waive action on each finding not waived yet. */
function HostCveWaivers({ host, canAct }: { host: HostDetail; canAct: boolean }) {
  const waivers = useRowWaivers<HostVulnerability>({
    rowKey: (v) => `${v.cve} ${v.source} ${v.installedVersion}`,
    target: (v) => ({ cve: v.cve }),
    scopes: hostScopes(host),
    waivable: (v) => !v.waived,
  });
  return canAct ? (
    <HostVulnerabilities hostId={host.id} actions={waivers.actions} detail={waivers.detail} status={waivers.status} />
  ) : (
    <HostVulnerabilities hostId={host.id} />
  );
}

function HostDrift({ hostId }: { hostId: string }) {
  const [offset, setOffset] = useState(0);
  const drift = useDrift({ host: hostId, limit: 20, offset });
  return (
    <Section title="Drift timeline" meta={drift.data ? String(drift.data.total) : undefined}>
      <QueryView
        query={drift}
        loading="Loading drift…"
        isEmpty={(page) => page.items.length === 0}
        empty={<EmptyState title="No drift on this host yet" />}
      >
        {(page) => (
          <>
            <DriftTable items={page.items} showHost={false} caption="Drift on this host, newest first" />
            {page.total > 20 ? (
              <div className="pagination">
                <button type="button" className="btn btn-small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - 20))}>
                  Newer
                </button>
                <button type="button" className="btn btn-small" disabled={offset + 20 >= page.total} onClick={() => setOffset(offset + 20)}>
                  Older
                </button>
              </div>
            ) : null}
          </>
        )}
      </QueryView>
    </Section>
  );
}

/** Waivers that cover this host: its own, and its group's (the API has no host filter yet). */
function HostWaivers({ host, canAct }: { host: HostDetail; canAct: boolean }) {
  const waivers = useWaivers({ limit: 1000, offset: 0 });
  const mine = (waivers.data?.items ?? []).filter(
    (w) =>
      (w.state === 'active' || w.state === 'requested') &&
      ((w.scope.type === 'host' && w.scope.id === host.id) ||
        (w.scope.type === 'group' && w.scope.id === host.group) ||
        (w.scope.type === 'tag' && host.tags.includes(w.scope.id))),
  );
  return (
    <Section
      title="Waivers on this host"
      meta={waivers.data ? String(mine.length) : undefined}
      actions={<Link to="/waivers">All waivers</Link>}
    >
      {waivers.isPending ? (
        <LoadingState label="Loading waivers…" />
      ) : waivers.isError ? (
        <ErrorState error={waivers.error} onRetry={() => void waivers.refetch()} />
      ) : mine.length === 0 ? (
        <EmptyState title="No waiver covers this host">Waive a failing result from its details above.</EmptyState>
      ) : (
        <WaiversTable waivers={mine} canAct={canAct} caption="Waivers covering this host" hostNames={{ [host.id]: host.hostname }} />
      )}
    </Section>
  );
}

export function HostRoute() {
  const { hostId = '' } = useParams();
  const host = useHost(hostId);
  const results = useHostResults(hostId);
  const session = useSession();
  const canAct = session.data?.user.role === 'admin' || session.data?.user.role === 'operator';
  const groups = useGroups();

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
  const listenerRule = results.data?.items.find((r) => r.ruleId === LISTENER_RULE);
  return (
    <>
      {breadcrumb}
      <HostHeader host={host.data} canEdit={canAct} groups={groupChoices(groups)} />
      <HostIdentityNotice host={host.data} canClear={canAct} />
      <FactErrors errors={factErrors} />
      <HostIndex host={host.data} />
      <div id="compliance" className="host-anchor">
        <HostCompliance host={host.data} actions={canAct ? (r) => <WaiveAction result={r} host={host.data} /> : undefined} />
      </div>
      <div className="host-sections">
        <div id="trend" className="host-anchor">
          <HostTrend hostId={host.data.id} />
        </div>
        <div id="ssh" className="host-anchor">
          <SshSettings config={facts?.sshd_config} error={Boolean(factErrors?.sshd_config)} />
        </div>
        <div id="vulnerabilities" className="host-anchor">
          <HostCveWaivers host={host.data} canAct={canAct} />
        </div>
        <div id="ports" className="host-anchor">
          <ListeningPorts sockets={facts?.listening_sockets} error={Boolean(factErrors?.listening_sockets)} rule={listenerRule} />
        </div>
        <div id="drift" className="host-anchor">
          <HostDrift hostId={host.data.id} />
        </div>
        <div id="baseline" className="host-anchor">
          <HostBaseline host={host.data} canApprove={canAct} />
        </div>
        <div id="waivers" className="host-anchor">
          <HostWaivers host={host.data} canAct={canAct} />
        </div>
        <div id="changes" className="host-anchor">
          <RecentChanges hostId={host.data.id} />
        </div>
        <div id="facts" className="host-anchor">
          <FactsExplorer facts={facts} />
        </div>
      </div>
    </>
  );
}
