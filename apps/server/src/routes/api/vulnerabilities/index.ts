import { priorityBand } from '@plumbline/advisories';
import { FleetVulnerabilities, FleetVulnerabilityQuery, type FleetVulnerability } from '@plumbline/protocol/vulnerabilities';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, ErrorCode } from '../../../errors';
import { hostScope } from '../../../plugins/app/auth';
import { csv, EXPOSURE_RANK, feedStatus, filters } from '../../../vulnerabilities/present';
import * as store from '../../../vulnerabilities/repository';

/** GET /api/v1/vulnerabilities: the fleet's known vulnerabilities by CVE, most urgent first (JSON or CSV). */
const vulnerabilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get(
    '/',
    { preHandler: anyRole, schema: { querystring: FleetVulnerabilityQuery, response: { 200: FleetVulnerabilities } } },
    async (req, reply) => {
      const q = req.query;
      const scope = hostScope(req);
      if (scope !== null && q.group && q.group !== scope) throw new AppError(ErrorCode.notFound, `no group ${q.group}`);
      const rows = await store.findings(prisma, { ...filters(q), group: scope ?? q.group });
      const byCve = new Map<
        string,
        {
          item: FleetVulnerability;
          hosts: Set<string>;
          network: Set<string>;
          noFix: Set<string>;
          packages: Set<string>;
          fixed: Set<string>;
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
            },
            hosts: new Set(),
            network: new Set(),
            noFix: new Set(),
            packages: new Set(),
            fixed: new Set(),
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
      }
      const items = [...byCve.values()].map((e) => ({
        ...e.item,
        hosts: e.hosts.size,
        networkHosts: e.network.size,
        noFixHosts: e.noFix.size,
        packages: [...e.packages].sort(),
        fixedVersions: [...e.fixed].sort(),
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
          ]),
        );
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="vulnerabilities.csv"')
          .serializer((x: string) => x)
          .send(body as never);
      }
      return { items: items.slice(q.offset, q.offset + q.limit), total: items.length, feeds: feedStatus(await store.feeds(prisma)) };
    },
  );
};

export default vulnerabilityRoutes;
