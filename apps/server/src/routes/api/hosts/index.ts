import { FactChangeItem, HostDetail, HostsQuery, HostSummary, ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { clearIdentityConflict, sameMachineId } from '../../../ingest/identity';
import { requireHost } from '../../../hosts/lookup';
import { duplicateHostnames, factChangesPage, hostsNamed, hostsPage, readHostFacts } from '../../../hosts/repository';
import { hostSummary } from '../../../hosts/summary';
import { actorOf, hostScope } from '../../../plugins/app/auth';

const IdParams = z.object({ id: z.string().max(64) });

const hostRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const anyRole = app.requireRole();

  app.get('', { preHandler: anyRole, schema: { querystring: HostsQuery, response: { 200: page(HostSummary) } } }, async (req) => {
    const scope = hostScope(req);
    const { rows, total } = await hostsPage(prisma, req.query, scope);
    const duplicates = await duplicateHostnames(
      prisma,
      rows.map((h) => h.hostname),
      scope,
    );
    return { items: rows.map((h) => hostSummary(h, duplicates)), total };
  });

  app.get('/:id', { preHandler: anyRole, schema: { params: IdParams, response: { 200: HostDetail } } }, async (req) => {
    const scope = hostScope(req);
    const host = await requireHost(prisma, req.params.id, scope);
    const [stored, sameId, sameName] = await Promise.all([
      readHostFacts(prisma, host.id),
      sameMachineId(prisma, host.id, host.machineId, scope),
      hostsNamed(prisma, host.hostname, host.id, scope),
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
      const { rows, total } = await factChangesPage(prisma, req.params.id, { offset, limit });
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
