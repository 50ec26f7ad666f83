import { GoldenHost, GoldenHostSet } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { findHost } from '../../../hosts/repository';
import { actorOf } from '../../../plugins/app/auth';
import { clearGoldenHost, findGoldenHost, groupExists, setGoldenHost, type GoldenHostRow } from '../../../policy/repository';

const GroupParams = z.object({ name: z.string().max(100) });

/**
 * A group's golden host: its *approved* baseline is the group's baseline (see
 * routes/api/hosts/baseline.ts), so the reference only moves when someone approves it again.
 */
const goldenHostRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const writers = app.requireRole('admin', 'operator');
  const anyRole = app.requireRole();

  const goldenItem = (g: GoldenHostRow): GoldenHost => ({
    group: g.groupName,
    hostId: g.hostId,
    hostname: g.host.hostname,
    setBy: g.setBy,
    setAt: g.setAt.toISOString(),
    hasBaseline: Boolean(g.host.baseline),
  });

  async function requireGroup(name: string): Promise<void> {
    if (!(await groupExists(prisma, name))) throw new AppError(ErrorCode.notFound, `no group ${name}`);
  }

  app.get('/:name/golden-host', { preHandler: anyRole, schema: { params: GroupParams, response: { 200: GoldenHost } } }, async (req) => {
    await requireGroup(req.params.name);
    const g = await findGoldenHost(prisma, req.params.name);
    if (!g) throw new AppError(ErrorCode.notFound, `group ${req.params.name} has no golden host`);
    return goldenItem(g);
  });

  app.put(
    '/:name/golden-host',
    { preHandler: writers, schema: { params: GroupParams, body: GoldenHostSet, response: { 200: GoldenHost } } },
    async (req) => {
      const { name } = req.params;
      await requireGroup(name);
      const host = await findHost(prisma, req.body.hostId);
      if (!host) throw new AppError(ErrorCode.badRequest, `hostId: no host ${req.body.hostId}`);
      if (host.groupName !== name) throw new AppError(ErrorCode.badRequest, `hostId: host ${host.hostname} is not in group ${name}`);
      const g = await setGoldenHost(prisma, name, host, actorOf(req.principal));
      return goldenItem(g);
    },
  );

  app.delete('/:name/golden-host', { preHandler: writers, schema: { params: GroupParams } }, async (req, reply) => {
    const { name } = req.params;
    await requireGroup(name);
    if (!(await clearGoldenHost(prisma, name, actorOf(req.principal))))
      throw new AppError(ErrorCode.notFound, `group ${name} has no golden host`);
    return reply.code(204).send();
  });
};

export default goldenHostRoutes;
