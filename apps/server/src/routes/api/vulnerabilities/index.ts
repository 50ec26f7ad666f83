import { priorityBand } from '@plumbline/advisories';
import {
  FleetVulnerabilities,
  FleetVulnerabilityQuery,
  PackageVulnerabilities,
  type FleetVulnerability,
  type PackageVulnerability,
} from '@plumbline/protocol/vulnerabilities';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { hostScope } from '../../../plugins/app/auth';
import { csv, sendCsv, EXPOSURE_RANK, feedStatus, filters } from '../../../vulnerabilities/present';
import * as store from '../../../vulnerabilities/repository';
import { findingsWithWaivers, type Waived } from '../../../vulnerabilities/waivers';

/**
 * GET /api/v1/vulnerabilities: the fleet's known vulnerabilities by CVE, most urgent first;
 * GET /api/v1/vulnerabilities/packages: the same findings by source package (what to update).
 * Both take the same filters, JSON or CSV. Findings a CVE waiver covers are counted and marked
 * (`waived=false` leaves them out).
 */
const vulnerabilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();
  /** The fleet's findings under the query's filters, within the caller's group (another group: 404). */
  const fleetFindings = (req: FastifyRequest, q: z.output<typeof FleetVulnerabilityQuery>) => {
    const scope = hostScope(req);
    if (scope !== null && q.group && q.group !== scope) throw new AppError(ErrorCode.notFound, `no group ${q.group}`);
    return findingsWithWaivers(prisma, { ...filters(q), group: scope ?? q.group });
  };

  app.get(
    '/',
    { preHandler: anyRole, schema: { querystring: FleetVulnerabilityQuery, response: { 200: FleetVulnerabilities } } },
    async (req, reply) => {
      const q = req.query;
      const rows = await fleetFindings(req, q);
      const byCve = new Map<
        string,
        {
          item: FleetVulnerability;
          hosts: Set<string>;
          network: Set<string>;
          noFix: Set<string>;
          packages: Set<string>;
          fixed: Set<string>;
          waived: Set<string>;
          waivers: Set<string>;
        }
      >();
      for (const r of rows) {
        let e = byCve.get(r.cve);
        if (!e) {
          e = {
            item: {
              cve: r.cve,
              description: r.description,
              cvss: r.cvss,
              epss: r.epss,
              kev: r.kev,
              severity: r.severity,
              priority: r.priority,
              band: priorityBand(r.priority),
              exposure: r.exposure as FleetVulnerability['exposure'],
              hosts: 0,
              networkHosts: 0,
              packages: [],
              fixedVersions: [],
              noFixHosts: 0,
              waivedHosts: 0,
              waiverIds: [],
            },
            hosts: new Set(),
            network: new Set(),
            noFix: new Set(),
            packages: new Set(),
            fixed: new Set(),
            waived: new Set(),
            waivers: new Set(),
          };
          byCve.set(r.cve, e);
        }
        // Rows come by priority, highest first: the first one of a CVE is its rank.
        if (EXPOSURE_RANK[r.exposure as keyof typeof EXPOSURE_RANK] < EXPOSURE_RANK[e.item.exposure])
          e.item.exposure = r.exposure as FleetVulnerability['exposure'];
        e.hosts.add(r.hostId);
        if (r.exposure === 'network') e.network.add(r.hostId);
        if (r.state === 'no_fix') e.noFix.add(r.hostId);
        e.packages.add(r.source);
        if (r.fixedVersion) e.fixed.add(r.fixedVersion);
        if (r.waiver) {
          e.waived.add(r.hostId);
          e.waivers.add(r.waiver.id);
        }
      }
      const items = [...byCve.values()].map((e) => ({
        ...e.item,
        hosts: e.hosts.size,
        networkHosts: e.network.size,
        noFixHosts: e.noFix.size,
        packages: [...e.packages].sort(),
        fixedVersions: [...e.fixed].sort(),
        waivedHosts: e.waived.size,
        waiverIds: [...e.waivers].sort(),
      }));
      items.sort((a, b) => b.priority - a.priority || b.hosts - a.hosts || (a.cve < b.cve ? -1 : 1));
      if (q.format === 'csv') {
        const body = csv(
          [
            'cve',
            'priority',
            'band',
            'exposure',
            'hosts',
            'network_hosts',
            'no_fix_hosts',
            'packages',
            'fixed_versions',
            'cvss',
            'epss',
            'kev',
            'severity',
            'waived_hosts',
            'waiver_ids',
          ],
          items.map((i) => [
            i.cve,
            i.priority,
            i.band,
            i.exposure,
            i.hosts,
            i.networkHosts,
            i.noFixHosts,
            i.packages,
            i.fixedVersions,
            i.cvss,
            i.epss,
            i.kev,
            i.severity,
            i.waivedHosts,
            i.waiverIds,
          ]),
        );
        return sendCsv(reply, 'vulnerabilities.csv', body);
      }
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length, feeds: feedStatus(await store.feeds(prisma)) };
    },
  );

  app.get(
    '/packages',
    { preHandler: anyRole, schema: { querystring: FleetVulnerabilityQuery, response: { 200: PackageVulnerabilities } } },
    async (req, reply) => {
      const q = req.query;
      const items = byPackage(await fleetFindings(req, q));
      if (q.format === 'csv') {
        const body = csv(
          [
            'source',
            'priority',
            'band',
            'exposure',
            'hosts',
            'network_hosts',
            'cves',
            'kev_cves',
            'no_fix_cves',
            'fix_available',
            'fixed_versions',
            'installed_versions',
            'packages',
            'waived_cves',
          ],
          items.map((i) => [
            i.source,
            i.priority,
            i.band,
            i.exposure,
            i.hosts,
            i.networkHosts,
            i.cves,
            i.kevCves,
            i.noFixCves,
            i.fixAvailable,
            i.fixedVersions,
            i.installedVersions,
            i.packages,
            i.waivedCves,
          ]),
        );
        return sendCsv(reply, 'vulnerable-packages.csv', body);
      }
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length, feeds: feedStatus(await store.feeds(prisma)) };
    },
  );
};

/** Findings (highest priority first) by source package, most urgent package first. */
function byPackage(rows: Waived<store.StoredFinding>[]): PackageVulnerability[] {
  const bySource = new Map<
    string,
    {
      item: PackageVulnerability;
      sets: Record<'packages' | 'versions' | 'hosts' | 'network' | 'cves' | 'kev' | 'noFix' | 'fixed' | 'unwaived', Set<string>>;
    }
  >();
  for (const r of rows) {
    let e = bySource.get(r.source);
    if (!e) {
      e = {
        item: {
          source: r.source,
          packages: [],
          installedVersions: [],
          hosts: 0,
          networkHosts: 0,
          cves: 0,
          kevCves: 0,
          noFixCves: 0,
          waivedCves: 0,
          // Rows come by priority, highest first: the first one of a package is its rank.
          priority: r.priority,
          band: priorityBand(r.priority),
          exposure: r.exposure as PackageVulnerability['exposure'],
          fixAvailable: false,
          fixedVersions: [],
        },
        sets: {
          packages: new Set(),
          versions: new Set(),
          hosts: new Set(),
          network: new Set(),
          cves: new Set(),
          kev: new Set(),
          noFix: new Set(),
          fixed: new Set(),
          unwaived: new Set(),
        },
      };
      bySource.set(r.source, e);
    }
    const { item, sets } = e;
    if (EXPOSURE_RANK[r.exposure as keyof typeof EXPOSURE_RANK] < EXPOSURE_RANK[item.exposure])
      item.exposure = r.exposure as PackageVulnerability['exposure'];
    for (const p of r.packages) sets.packages.add(p);
    sets.versions.add(r.installedVersion);
    sets.hosts.add(r.hostId);
    if (r.exposure === 'network') sets.network.add(r.hostId);
    sets.cves.add(r.cve);
    if (r.kev) sets.kev.add(r.cve);
    if (r.state === 'no_fix') sets.noFix.add(r.cve);
    else item.fixAvailable = true;
    if (r.fixedVersion) sets.fixed.add(r.fixedVersion);
    // A CVE counts as waived only when no host has it unwaived.
    if (!r.waiver) sets.unwaived.add(r.cve);
  }
  const items = [...bySource.values()].map(({ item, sets }) => ({
    ...item,
    packages: [...sets.packages].sort(),
    installedVersions: [...sets.versions].sort(),
    hosts: sets.hosts.size,
    networkHosts: sets.network.size,
    cves: sets.cves.size,
    kevCves: sets.kev.size,
    noFixCves: sets.noFix.size,
    waivedCves: sets.cves.size - sets.unwaived.size,
    fixedVersions: [...sets.fixed].sort(),
  }));
  return items.sort((a, b) => b.priority - a.priority || b.hosts - a.hosts || b.cves - a.cves || (a.source < b.source ? -1 : 1));
}

export default vulnerabilityRoutes;
