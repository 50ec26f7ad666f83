import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';
import { ErrorCode } from '../../errors';

/**
 * Serves the built dashboard at / with history-API fallback: any GET that is not an API,
 * agent or asset path gets index.html, so deep links like /hosts/<id> load the app.
 * Hashed assets are cached for good; index.html never is, so a new build is picked up
 * at the next load; a missing asset is a 404, never index.html under a .js name.
 * Source maps are built (for debugging a build) but served only when the setting asks for
 * them: they would hand out the dashboard's whole source.
 */
export default fp<{ dir: string | undefined; serveSourceMaps: boolean }>(
  async (app, { dir, serveSourceMaps }) => {
    const root = dir && existsSync(path.join(dir, 'index.html')) ? dir : undefined;
    if (!root) app.log.warn({ dir }, 'dashboard not built; run `pnpm build` to serve it');
    else {
      await app.register(fastifyStatic, {
        root,
        index: ['index.html'],
        wildcard: true,
        cacheControl: false,
        allowedPath: (pathName) => serveSourceMaps || !pathName.endsWith('.map'),
        setHeaders: (res, file) => {
          const hashed = file.includes(`${path.sep}assets${path.sep}`);
          res.header('cache-control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
    }

    app.setNotFoundHandler((req, reply) => {
      const pathname = req.url.split('?')[0]!;
      const apiLike = /^\/(api|agent|assets)\//.test(pathname) || pathname === '/metrics' || pathname.endsWith('.map');
      if (req.method === 'GET' && !apiLike && root) {
        return reply.code(200).header('cache-control', 'no-cache').sendFile('index.html', root);
      }
      return reply.code(404).send({ code: ErrorCode.notFound, message: `no route ${req.method} ${pathname}` });
    });
  },
  { name: 'dashboard' },
);
