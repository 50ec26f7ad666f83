import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditInTx } from '../../../audit/trail';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';

/** Revoking a host's agent credential closes its live connection on whichever replica holds it. */
const hostRevokeRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  app.post('/:id/revoke', { preHandler: app.requireRole('admin'), schema: { params: z.object({ id: z.uuid() }) } }, async (req, reply) => {
    const host = await prisma.host.findUnique({ where: { id: req.params.id } });
    if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
    // Revoking twice at once revokes (and audits) once.
    await prisma.$transaction(async (tx) => {
      const n = await tx.agentCredential.updateMany({ where: { id: host.credentialId, revokedAt: null }, data: { revokedAt: new Date() } });
      if (n.count)
        await appendAuditInTx(tx, {
          actor: actorOf(req.principal),
          action: 'agent.revoke',
          target: host.id,
          details: { hostname: host.hostname },
        });
    });
    app.bus.publish({ type: 'agent.revoked', hostId: host.id, at: new Date().toISOString() });
    return reply.code(204).send();
  });
};

export default hostRevokeRoutes;
