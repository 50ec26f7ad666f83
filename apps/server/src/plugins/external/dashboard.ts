import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../errors';

/**
 * Serves the built dashboard at / with history-API fallback: any GET that is not an API,
 * agent or asset path gets index.html, so deep links like /hosts/<id> load the app.
 */
export default fp<{ dir: string | undefined }>(
  async (app, { dir }) => {
    const root = dir && existsSync(path.join(dir, 'index.html')) ? dir : undefined;
    if (!root) app.log.warn({ dir }, 'dashboard not built; run `pnpm build` to serve it');
    else await app.register(fastifyStatic, { root, index: ['index.html'], wildcard: false, maxAge: '1h', immutable: false });

    app.setNotFoundHandler((req, reply) => {
      const apiLike = /^\/(api|agent)\//.test(req.url) || req.url === '/metrics';
      if (req.method === 'GET' && !apiLike && root) {
        return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
      }
      return reply.code(404).send({ code: ErrorCode.notFound, message: `no route ${req.method} ${req.url.split('?')[0]}` });
    });
  },
  { name: 'dashboard' },
);
