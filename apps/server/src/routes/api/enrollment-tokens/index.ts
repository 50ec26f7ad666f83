import { ApiKeyItem, EnrollmentTokenItem } from '@plumbline/protocol/access';
import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditInTx } from '../../../audit/trail';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import { listApiKeys } from '../../../access';

const Id = z.object({ id: z.uuid() });
const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Secrets the server handed out — enrollment tokens, API keys, agent credentials — listed
 * by prefix (never in full: only hashes are stored) and revocable. Revoking an agent
 * closes its live connection on whichever replica holds it.
 */
export const credentialRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const adminOnly = app.requireRole('admin');

  app.get(
    '/api/v1/enrollment-tokens',
    { preHandler: app.requireRole('admin', 'operator'), schema: { querystring: ListQuery, response: { 200: page(EnrollmentTokenItem) } } },
    async (req) => {
      const [rows, total] = await Promise.all([
        prisma.enrollmentToken.findMany({ orderBy: { createdAt: 'desc' }, skip: req.query.offset, take: req.query.limit }),
        prisma.enrollmentToken.count(),
      ]);
      return {
        total,
        items: rows.map((t) => ({
          id: t.id,
          name: t.name,
          prefix: t.prefix,
          group: t.groupName,
          uses: t.uses,
          maxUses: t.maxUses,
          expiresAt: iso(t.expiresAt),
          revokedAt: iso(t.revokedAt),
          createdAt: t.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/api-keys',
    {
      preHandler: adminOnly,
      schema: {
        querystring: ListQuery,
        response: { 200: page(ApiKeyItem) },
      },
    },
    async (req) => listApiKeys(app.db, req.query),
  );

  const revoke = (what: 'enrollment-tokens' | 'api-keys') =>
    app.delete(
      `/api/v1/${what}/:id`,
      { preHandler: what === 'api-keys' ? adminOnly : app.requireRole('admin', 'operator'), schema: { params: Id } },
      async (req, reply) => {
        const { id } = req.params as z.infer<typeof Id>;
        await prisma.$transaction(async (tx) => {
          const now = new Date();
          const n =
            what === 'api-keys'
              ? await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } })
              : await tx.enrollmentToken.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
          if (
            !n.count &&
            !(what === 'api-keys' ? await tx.apiKey.count({ where: { id } }) : await tx.enrollmentToken.count({ where: { id } }))
          ) {
            throw new AppError(ErrorCode.notFound, `no ${what.replace(/s$/, '').replace('-', ' ')} ${id}`);
          }
          if (n.count)
            await appendAuditInTx(tx, {
              actor: actorOf(req.principal),
              action: what === 'api-keys' ? 'apikey.revoke' : 'token.revoke',
              target: id,
            });
        });
        // Live feed sockets opened with the key close on every replica.
        if (what === 'api-keys') app.bus.publish({ type: 'credentials.revoked', kind: 'apikey', id, at: new Date().toISOString() });
        return reply.code(204).send();
      },
    );
  revoke('enrollment-tokens');
  revoke('api-keys');

  app.post('/api/v1/hosts/:id/revoke', { preHandler: adminOnly, schema: { params: Id } }, async (req, reply) => {
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
