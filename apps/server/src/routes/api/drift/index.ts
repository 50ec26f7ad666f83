import { DriftItem, DriftQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { DriftEvent, Prisma, PrismaClient } from '../../../generated/prisma/client';
import { hostScope } from '../../../plugins/app/auth';

/** The drift feed: what changed on which host, from what to what, newest first. */
const driftRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  app.get('', { preHandler: app.requireRole(), schema: { querystring: DriftQuery, response: { 200: page(DriftItem) } } }, async (req) => {
    const q = req.query;
    const UUID = /^[0-9a-f-]{36}$/i;
    // Hostname and group both filter through the host relation: one object, or one would drop the other.
    const hostWhere: Prisma.HostWhereInput = {
      ...(q.host && !UUID.test(q.host) && { hostname: q.host }),
      ...(q.group && { groupName: q.group }),
      // A group-scoped API key sees its group's events only, whatever it filters on.
      ...(hostScope(req) !== null && { AND: [{ groupName: hostScope(req) }] }),
    };
    const where: Prisma.DriftEventWhereInput = {
      ...(q.host && UUID.test(q.host) && { hostId: q.host }),
      ...(Object.keys(hostWhere).length > 0 && { host: hostWhere }),
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
    const firstFailed = await firstFailedTimes(prisma, rows);
    await app.policy.knowRules(rows.flatMap((d) => (d.ruleId ? [d.ruleId] : [])));
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
        firstFailedAt: firstFailed.get(d.id)?.toISOString() ?? null,
      })),
    };
  });
};

/**
 * When the failing streak of each compliance event began: the latest change of its rule on
 * its host to `fail`, up to the event. Read from the verdict history rather than stored on
 * the event, so ingest writes nothing more; one query per page.
 */
async function firstFailedTimes(prisma: PrismaClient, rows: DriftEvent[]): Promise<Map<bigint, Date>> {
  const ids = rows.filter((d) => d.kind === 'compliance' && d.ruleId && (d.before === 'fail' || d.after === 'fail')).map((d) => d.id);
  if (!ids.length) return new Map();
  const found = await prisma.$queryRawUnsafe<{ id: bigint; first_failed_at: Date | null }[]>(
    `SELECT e.id, (SELECT max(c.observed_at) FROM result_changes c
                   WHERE c.host_id = e.host_id AND c.rule_id = e.rule_id AND c.after = 'fail' AND c.observed_at <= e.observed_at) AS first_failed_at
     FROM drift_events e WHERE e.id = ANY($1::bigint[])`,
    ids.map(String),
  );
  return new Map(found.flatMap((r) => (r.first_failed_at ? [[BigInt(r.id), r.first_failed_at] as const] : [])));
}

export default driftRoutes;
