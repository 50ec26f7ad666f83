import { FactChangeItem, HostDetail, HostsQuery, HostSummary, ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import type { Prisma, PrismaClient } from '../../../generated/prisma/client';
import { clearIdentityConflict, sameMachineId } from '../../../ingest/identity';
import { readHostFacts } from '../../../hosts/repository';
import { duplicateHostnames } from '../../../hosts/repository';
import { hostSummary } from '../../../hosts/summary';
import { actorOf, hostScope } from '../../../plugins/app/auth';

const NULLABLE_SORTS = new Set(['os', 'lastSeenAt', 'score']);

/** The hosts list's filters, all applied in the database. */
function hostFilter(q: z.infer<typeof HostsQuery>, now = Date.now()): Prisma.HostWhereInput {
  const and: Prisma.HostWhereInput[] = [];
  if (q.q) and.push({ OR: [{ hostname: { contains: q.q, mode: 'insensitive' } }, { os: { contains: q.q, mode: 'insensitive' } }] });
  if (q.group) and.push({ groupName: q.group });
  if (q.tag) and.push({ tags: { has: q.tag } });
  if (q.os) and.push({ osId: q.os });
  if (q.minScore !== undefined) and.push({ score: { gte: q.minScore } });
  if (q.maxScore !== undefined) and.push({ score: { lte: q.maxScore } });
  if (q.failing) and.push({ results: { some: { ruleId: q.failing, status: 'fail' } } });
  // Online as isOnline() judges it, with the common 90 s floor (3 x the default interval).
  const fresh = { connected: true, lastSeenAt: { gt: new Date(now - 90_000) } };
  if (q.online === 'true') and.push(fresh);
  if (q.online === 'false') and.push({ NOT: fresh });
  return and.length ? { AND: and } : {};
}

/** Hosts never seen or without an OS sort last, whichever the direction. */
function orderOf(sort: string, order: 'asc' | 'desc'): Prisma.HostOrderByWithRelationInput {
  return { [sort]: NULLABLE_SORTS.has(sort) ? { sort: order, nulls: 'last' } : order };
}

const IdParams = z.object({ id: z.string().max(64) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no host: 404, like an unknown one, or one outside the caller's group scope. */
async function requireHost(prisma: PrismaClient, id: string, scope: string | null = null): Promise<void> {
  if (!UUID.test(id) || !(await prisma.host.count({ where: { id, ...(scope !== null && { groupName: scope }) } })))
    throw new AppError(ErrorCode.notFound, `no host ${id}`);
}

const hostRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get('', { preHandler: anyRole, schema: { querystring: HostsQuery, response: { 200: page(HostSummary) } } }, async (req) => {
    const { limit, offset, sort, order } = req.query;
    const scope = hostScope(req);
    const where = scope === null ? hostFilter(req.query) : { AND: [hostFilter(req.query), { groupName: scope }] };
    const [rows, total] = await Promise.all([
      prisma.host.findMany({ where, orderBy: [orderOf(sort, order), { id: 'asc' }], skip: offset, take: limit }),
      prisma.host.count({ where }),
    ]);
    const duplicates = await duplicateHostnames(
      prisma,
      rows.map((h) => h.hostname),
      scope,
    );
    return { items: rows.map((h) => hostSummary(h, duplicates)), total };
  });

  app.get('/:id', { preHandler: anyRole, schema: { params: IdParams, response: { 200: HostDetail } } }, async (req) => {
    const scope = hostScope(req);
    await requireHost(prisma, req.params.id, scope);
    const [host, stored] = await Promise.all([
      prisma.host.findUnique({ where: { id: req.params.id } }),
      readHostFacts(prisma, req.params.id),
    ]);
    if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
    const [sameId, sameName] = await Promise.all([
      sameMachineId(prisma, host.id, host.machineId, scope),
      prisma.host.findMany({
        where: { hostname: host.hostname, id: { not: host.id }, ...(scope !== null && { groupName: scope }) },
        select: { id: true, hostname: true },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
        take: 100,
      }),
    ]);
    return {
      ...hostSummary(host, new Set(sameName.length ? [host.hostname] : [])),
      machineId: host.machineId,
      identityConflictSince: host.identityConflictAt?.toISOString() ?? null,
      sameMachineId: sameId,
      sameHostname: sameName,
      facts: stored?.facts ?? null,
      factErrors: (stored?.errors as HostDetail['factErrors'] | undefined) ?? {},
      observedAt: stored?.observedAt.toISOString() ?? null,
      receivedAt: stored?.receivedAt.toISOString() ?? null,
    };
  });

  app.get(
    '/:id/changes',
    { preHandler: anyRole, schema: { params: IdParams, querystring: ListQuery, response: { 200: page(FactChangeItem) } } },
    async (req) => {
      const { limit, offset } = req.query;
      await requireHost(prisma, req.params.id, hostScope(req));
      const where = { hostId: req.params.id };
      const [rows, total] = await Promise.all([
        // Newest first in the agent's own order (its sequence numbers), not by the time it claims.
        prisma.factChange.findMany({ where, orderBy: [{ seq: 'desc' }, { id: 'desc' }], skip: offset, take: limit }),
        prisma.factChange.count({ where }),
      ]);
      return {
        items: rows.map((c) => ({
          id: c.id.toString(),
          fact: c.fact,
          path: c.path,
          op: c.op as 'add' | 'remove' | 'replace',
          before: c.before,
          after: c.after,
          observedAt: c.observedAt.toISOString(),
          receivedAt: c.receivedAt.toISOString(),
        })),
        total,
      };
    },
  );

  /** Clears the identity-conflict flag once the host's machine id is its own again (409 while shared). */
  app.delete(
    '/:id/identity-conflict',
    { preHandler: app.requireRole('admin', 'operator'), schema: { params: IdParams } },
    async (req, reply) => {
      await requireHost(prisma, req.params.id, hostScope(req));
      await clearIdentityConflict(prisma, req.params.id, actorOf(req.principal));
      return reply.code(204).send();
    },
  );
};

export default hostRoutes;
