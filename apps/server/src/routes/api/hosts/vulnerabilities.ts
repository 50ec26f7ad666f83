import { priorityBand } from '@plumbline/advisories';
import { HostVulnerabilities, HostVulnerabilityQuery, type HostVulnerability } from '@plumbline/protocol/vulnerabilities';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireHost } from '../../../hosts/lookup';
import { hostScope } from '../../../plugins/app/auth';
import { csv, sendCsv, EXPOSURE_RANK, feedStatus, filters } from '../../../vulnerabilities/present';
import { VulnerabilityService } from '../../../vulnerabilities/service';
import * as store from '../../../vulnerabilities/repository';
import { findingsWithWaivers } from '../../../vulnerabilities/waivers';

/** GET /api/v1/hosts/:id/vulnerabilities: one host's findings, most urgent first, waived ones marked (JSON or CSV). */
const hostVulnerabilityRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get(
    '/:id/vulnerabilities',
    {
      preHandler: anyRole,
      schema: { params: z.object({ id: z.string().max(64) }), querystring: HostVulnerabilityQuery, response: { 200: HostVulnerabilities } },
    },
    async (req, reply) => {
      const { id } = await requireHost(prisma, req.params.id, hostScope(req));
      const q = req.query;
      // Kernels installed but not running are part of a host's own list (marked), unless filtered.
      const rows = await findingsWithWaivers(prisma, { ...filters(q), notRunning: q.notRunning ?? true, hostId: id });
      const items: HostVulnerability[] = rows.map((r) => ({
        cve: r.cve,
        description: r.description,
        cvss: r.cvss,
        epss: r.epss,
        kev: r.kev,
        severity: r.severity,
        source: r.source,
        packages: r.packages,
        installedVersion: r.installedVersion,
        fixedVersion: r.fixedVersion,
        state: r.state as HostVulnerability['state'],
        kernel: r.kernel as HostVulnerability['kernel'],
        exposure: r.exposure as HostVulnerability['exposure'],
        listeners: r.listeners,
        priority: r.priority,
        band: priorityBand(r.priority),
        firstSeen: r.firstSeen.toISOString(),
        waived: r.waiver !== null,
        waiver: r.waiver,
      }));
      items.sort((a, b) => b.priority - a.priority || EXPOSURE_RANK[a.exposure] - EXPOSURE_RANK[b.exposure] || (a.cve < b.cve ? -1 : 1));
      if (q.format === 'csv') {
        const body = csv(
          [
            'cve',
            'priority',
            'band',
            'exposure',
            'listeners',
            'source',
            'packages',
            'installed_version',
            'fixed_version',
            'state',
            'kernel',
            'cvss',
            'epss',
            'kev',
            'severity',
            'first_seen',
            'waived',
            'waiver_id',
          ],
          items.map((i) => [
            i.cve,
            i.priority,
            i.band,
            i.exposure,
            i.listeners,
            i.source,
            i.packages,
            i.installedVersion,
            i.fixedVersion,
            i.state,
            i.kernel,
            i.cvss,
            i.epss,
            i.kev,
            i.severity,
            i.firstSeen,
            i.waived,
            i.waiver?.id,
          ]),
        );
        return sendCsv(reply, `host-${id}-vulnerabilities.csv`, body);
      }
      const facts = await store.hostFacts(prisma, id);
      const os = (facts?.facts.host as { os?: Parameters<typeof VulnerabilityService.releaseOf>[0] } | undefined)?.os ?? null;
      return { hostId: id, release: VulnerabilityService.releaseOf(os), items, feeds: feedStatus(await store.feeds(prisma)) };
    },
  );
};

export default hostVulnerabilityRoutes;
