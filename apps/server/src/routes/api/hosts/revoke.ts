import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { revokeAgentCredential } from '../../../enrollment/repository';
import { findHost } from '../../../hosts/repository';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';

/** Revoking a host's agent credential closes its live connection on whichever replica holds it. */
const hostRevokeRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  app.post('/:id/revoke', { preHandler: app.requireRole('admin'), schema: { params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const host = await findHost(prisma, req.params.id);
    if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
    // Revoking twice at once revokes (and audits) once.
    await revokeAgentCredential(prisma, host, actorOf(req.principal));
    app.bus.publish({ type: 'agent.revoked', hostId: host.id, at: new Date().toISOString() });
    return reply.code(204).send();
  });
};

export default hostRevokeRoutes;
