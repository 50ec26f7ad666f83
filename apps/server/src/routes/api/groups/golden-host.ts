import { GoldenHost, GoldenHostSet } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditInTx } from '../../../audit/trail';
import { AppError, ErrorCode } from '../../../errors';
import type { Prisma } from '../../../generated/prisma/client';
import { actorOf } from '../../../plugins/app/auth';

const GroupParams = z.object({ name: z.string().max(100) });

/**
 * A group's golden host: its *approved* baseline is the group's baseline (see
 * routes/api/hosts/baseline.ts), so the reference only moves when someone approves it again.
 */
const goldenHostRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const writers = app.requireRole('admin', 'operator');
  const anyRole = app.requireRole();

  const goldenItem = async (
    g: Prisma.GroupGoldenHostGetPayload<{ include: { host: { select: { hostname: true; baseline: { select: { hostId: true } } } } } }>,
  ): Promise<GoldenHost> => ({
    group: g.groupName,
    hostId: g.hostId,
    hostname: g.host.hostname,
    setBy: g.setBy,
    setAt: g.setAt.toISOString(),
    hasBaseline: Boolean(g.host.baseline),
  });
  const goldenInclude = { host: { select: { hostname: true, baseline: { select: { hostId: true } } } } } as const;

  async function requireGroup(name: string): Promise<void> {
    if (!(await prisma.group.findUnique({ where: { name } }))) throw new AppError(ErrorCode.notFound, `no group ${name}`);
  }

  app.get('/:name/golden-host', { preHandler: anyRole, schema: { params: GroupParams, response: { 200: GoldenHost } } }, async (req) => {
    await requireGroup(req.params.name);
    const g = await prisma.groupGoldenHost.findUnique({ where: { groupName: req.params.name }, include: goldenInclude });
    if (!g) throw new AppError(ErrorCode.notFound, `group ${req.params.name} has no golden host`);
    return goldenItem(g);
  });

  app.put(
    '/:name/golden-host',
    { preHandler: writers, schema: { params: GroupParams, body: GoldenHostSet, response: { 200: GoldenHost } } },
    async (req) => {
      const { name } = req.params;
      await requireGroup(name);
      const host = await prisma.host.findUnique({ where: { id: req.body.hostId }, select: { id: true, hostname: true, groupName: true } });
      if (!host) throw new AppError(ErrorCode.badRequest, `hostId: no host ${req.body.hostId}`);
      if (host.groupName !== name) throw new AppError(ErrorCode.badRequest, `hostId: host ${host.hostname} is not in group ${name}`);
      const actor = actorOf(req.principal);
      const data = { hostId: host.id, setBy: actor, setAt: new Date() };
      const g = await prisma.$transaction(async (tx) => {
        // One INSERT ... ON CONFLICT DO UPDATE (no nested read), so parallel choices never collide.
        await tx.groupGoldenHost.upsert({
          where: { groupName: name },
          create: { groupName: name, ...data },
          update: data,
          select: { groupName: true },
        });
        const row = await tx.groupGoldenHost.findUniqueOrThrow({ where: { groupName: name }, include: goldenInclude });
        await appendAuditInTx(tx, {
          actor,
          action: 'group.golden_host.set',
          target: name,
          details: { hostId: host.id, hostname: host.hostname },
        });
        return row;
      });
      return goldenItem(g);
    },
  );

  app.delete('/:name/golden-host', { preHandler: writers, schema: { params: GroupParams } }, async (req, reply) => {
    const { name } = req.params;
    await requireGroup(name);
    await prisma.$transaction(async (tx) => {
      const { count } = await tx.groupGoldenHost.deleteMany({ where: { groupName: name } });
      if (!count) throw new AppError(ErrorCode.notFound, `group ${name} has no golden host`);
      await appendAuditInTx(tx, { actor: actorOf(req.principal), action: 'group.golden_host.clear', target: name });
    });
    return reply.code(204).send();
  });
};

export default goldenHostRoutes;
