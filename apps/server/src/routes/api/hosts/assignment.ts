import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assignHost, findHost } from '../../../hosts/repository';
import { groupExists } from '../../../policy/repository';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';

const hostAssignmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  /** Moves a host to a group and sets its tags; it is judged again at once. */
  app.patch(
    '/:id',
    {
      preHandler: app.requireRole('admin', 'operator'),
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({
          group: z.string().max(100).nullable().optional(),
          tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        }),
      },
    },
    async (req, reply) => {
      const host = await findHost(prisma, req.params.id);
      if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const { group, tags } = req.body;
      if (group && !(await groupExists(prisma, group))) throw new AppError(ErrorCode.badRequest, `group: no group ${group}`);
      await assignHost(prisma, host.id, { group, tags }, actorOf(req.principal));
      await app.ingest.reevaluate(host.id);
      return reply.code(204).send();
    },
  );
};

export default hostAssignmentRoutes;
