import { DriftItem, DriftQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Prisma } from '../../generated/prisma/client';

/** The drift feed: what changed on which host, from what to what, newest first. */
export const driftRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  app.get(
    '/api/v1/drift',
    { preHandler: app.requireRole(), schema: { querystring: DriftQuery, response: { 200: page(DriftItem) } } },
    async (req) => {
      const q = req.query;
      const UUID = /^[0-9a-f-]{36}$/i;
      const where: Prisma.DriftEventWhereInput = {
        ...(q.host && (UUID.test(q.host) ? { hostId: q.host } : { host: { hostname: q.host } })),
        ...(q.group && { host: { groupName: q.group } }),
        ...(q.kind && { kind: q.kind }),
        ...(q.severity && { severity: q.severity }),
        ...(q.since && { observedAt: { gte: new Date(q.since) } }),
      };
      const [rows, total] = await Promise.all([
        prisma.driftEvent.findMany({
          where,
          include: { host: { select: { hostname: true, groupName: true } } },
          orderBy: [{ observedAt: 'desc' }, { id: 'desc' }],
          skip: q.offset,
          take: q.limit,
        }),
        prisma.driftEvent.count({ where }),
      ]);
      return {
        total,
        items: rows.map((d) => ({
          id: d.id.toString(),
          hostId: d.hostId,
          hostname: d.host.hostname,
          group: d.host.groupName,
          kind: d.kind as DriftItem['kind'],
          severity: d.severity,
          ruleId: d.ruleId,
          ruleTitle: d.ruleId ? (app.policy.rule(d.ruleId)?.title ?? null) : null,
          path: d.path,
          direction: d.direction as DriftItem['direction'],
          before: d.before,
          after: d.after,
          observedAt: d.observedAt.toISOString(),
          receivedAt: d.receivedAt.toISOString(),
        })),
      };
    },
  );
};
