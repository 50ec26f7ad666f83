import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import { FilterSelect } from '@/components/form';
import { QueryView } from '@/components/paged-table';
import { EmptyState } from '@/components/states';
import { TabLinks } from '@/components/tab-links';
import type { FleetVulnerability } from '@plumbline/protocol/vulnerabilities';
import { useSession } from '@/features/auth/api/get-session';
import { useSummary } from '@/features/overview/api/get-summary';
import { csvUrl, useFleetVulnerabilities, usePackageVulnerabilities } from '@/features/vulnerabilities/api/get-vulnerabilities';
import {
  FeedFreshness,
  FleetVulnerabilityTable,
  PackageVulnerabilityTable,
} from '@/features/vulnerabilities/components/vulnerability-tables';
import { BANDS, EXPOSURES, STATES, useVulnerabilityParams } from '@/features/vulnerabilities/hooks/use-vulnerability-params';
import { useRowWaivers } from '@/features/waivers/components/row-waivers';
import { formatCount } from '@/lib/format';

const PAGE = 100;

export function VulnerabilitiesRoute() {
  const { filters, offset, view, update, viewHref } = useVulnerabilityParams();
  const byCve = useFleetVulnerabilities(filters, PAGE, offset, view === 'cve');
  const byPackage = usePackageVulnerabilities(filters, PAGE, offset, view === 'packages');
  const list = view === 'cve' ? byCve : byPackage;
  const groups = [...new Set((useSummary().data?.groups ?? []).flatMap((g) => (g.name ? [g.name] : [])))];
  const filtered = Object.values(filters).some(Boolean);
  const set = (patch: Partial<typeof filters>) => update({ ...patch, offset: 0 });
  const role = useSession().data?.user.role;
  // Fleet-wide, a CVE is waived for a group (the group filtered on first); for one host or a tag, from the host's page.
  const waivers = useRowWaivers<FleetVulnerability>({
    rowKey: (v) => v.cve,
    target: (v) => ({ cve: v.cve }),
    scopes: [...groups]
      .sort((a, b) => Number(b === filters.group) - Number(a === filters.group))
      .map((g) => ({ scope: { type: 'group', id: g }, label: `Every host in group ${g}` })),
    waivable: (v) => v.waivedHosts < v.hosts,
  });
  const canWaive = role === 'admin' || role === 'operator';

  return (
    <>
      <PageHeader title="Vulnerabilities" documentTitle="Vulnerabilities">
        {list.data ? <span className="page-count">{formatCount(list.data.total)}</span> : null}
        <span className="muted small">{view === 'cve' ? 'By CVE' : 'By package'}; what listens on the network ranks first.</span>
        <a className="btn btn-small" href={csvUrl(view === 'cve' ? '/vulnerabilities' : '/vulnerabilities/packages', filters)}>
          CSV
        </a>
      </PageHeader>
      <div className="toolbar" role="search" aria-label="Filter vulnerabilities">
        <label className="field field-inline">
          <span>CVE</span>
          <input type="search" value={filters.cve} placeholder="CVE-2024-…" onChange={(e) => set({ cve: e.target.value.trim() })} />
        </label>
        <label className="field field-inline">
          <span>Package</span>
          <input type="search" value={filters.package} placeholder="openssl" onChange={(e) => set({ package: e.target.value.trim() })} />
        </label>
        <FilterSelect label="Priority" all="Any priority" value={filters.band} options={BANDS} onChange={(band) => set({ band })} />
        <FilterSelect
          label="Exposure"
          all="Any exposure"
          value={filters.exposure}
          options={EXPOSURES}
          onChange={(exposure) => set({ exposure })}
        />
        <FilterSelect label="Fix" all="Fixed or not" value={filters.state} options={STATES} onChange={(state) => set({ state })} />
        <FilterSelect
          label="Known exploited"
          all="Any"
          value={filters.kev}
          options={[
            { value: 'true', label: 'In CISA KEV' },
            { value: 'false', label: 'Not in KEV' },
          ]}
          onChange={(kev) => set({ kev })}
        />
        <FilterSelect
          label="Waivers"
          all="Waived or not"
          value={filters.waived}
          options={[
            { value: 'false', label: 'Not waived' },
            { value: 'true', label: 'Waived' },
          ]}
          onChange={(waived) => set({ waived })}
        />
        <FilterSelect label="Group" all="All groups" value={filters.group} options={groups} onChange={(group) => set({ group })} />
        {filtered ? (
          <button
            type="button"
            className="btn"
            onClick={() => update({ cve: '', package: '', exposure: '', state: '', band: '', kev: '', waived: '', group: '', offset: 0 })}
          >
            Clear filters
          </button>
        ) : null}
      </div>
      <TabLinks
        label="Vulnerabilities by"
        current={view}
        tabs={[
          { id: 'cve', label: 'By CVE', to: viewHref('cve') },
          { id: 'packages', label: 'By package', to: viewHref('packages') },
        ]}
      />
      {list.data ? (
        <p>
          <FeedFreshness feeds={list.data.feeds} />
        </p>
      ) : null}
      {waivers.status}
      <QueryView<{ items: unknown[]; total: number }>
        query={list}
        loading="Loading vulnerabilities…"
        isEmpty={(page) => page.items.length === 0}
        empty={
          <EmptyState title={filtered ? 'No vulnerability matches these filters' : 'No known vulnerability in the fleet'}>
            {filtered ? null : 'Findings appear once advisory data is imported and hosts have reported their packages.'}
          </EmptyState>
        }
      >
        {(page) => (
          <>
            {view === 'cve' && byCve.data ? (
              <FleetVulnerabilityTable
                items={byCve.data.items}
                actions={canWaive ? waivers.actions : undefined}
                detail={canWaive ? waivers.detail : undefined}
              />
            ) : null}
            {view === 'packages' && byPackage.data ? <PackageVulnerabilityTable items={byPackage.data.items} /> : null}
            <Pagination
              label="Vulnerability pages"
              offset={offset}
              limit={PAGE}
              total={page.total}
              shown={page.items.length}
              onChange={(o) => update({ offset: o })}
            />
          </>
        )}
      </QueryView>
    </>
  );
}
