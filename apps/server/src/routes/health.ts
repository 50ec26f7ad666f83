import type { FastifyPluginAsync } from 'fastify';
import { ErrorCode } from '../errors';

/** /healthz: the process answers. /readyz: the database answers and is fully migrated. */
export const healthRoutes: FastifyPluginAsync = async (app) => {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (req, reply) => {
    try {
      await app.db.sql.query('SELECT 1');
      const pending = await app.db.pending();
      if (pending.length) {
        return reply.code(503).send({ code: ErrorCode.notReady, message: `migrations pending: ${pending.join(', ')}` });
      }
      return { status: 'ready', database: app.db.kind };
    } catch (err) {
      req.log.warn({ err }, 'readiness check failed');
      return reply.code(503).send({ code: ErrorCode.dbUnavailable, message: 'database unreachable' });
    }
  });
};
