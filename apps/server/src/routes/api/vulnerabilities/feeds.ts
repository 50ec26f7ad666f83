import { FeedError, parseFeed, type ParsedFeed } from '@plumbline/advisories';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';

/** The Debian Security Tracker's whole JSON is the largest feed read, about 70 MB. */
export const FEED_UPLOAD_LIMIT = 256 * 1024 * 1024;

/**
 * POST /api/v1/vulnerabilities/feeds?name=FILE: one advisory feed file as the body (what
 * `plumbline vulndb import` sends while this server holds the embedded database; the kind is
 * read from the content, gzip too). A cut or malformed file is refused with its code and
 * nothing changes; a good one is stored whole and every host is matched again in the background.
 */
const feedRoutes: FastifyPluginAsyncZod = async (app) => {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: FEED_UPLOAD_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/feeds',
    {
      preHandler: app.requireRole('admin'),
      bodyLimit: FEED_UPLOAD_LIMIT,
      schema: {
        querystring: z.object({ name: z.string().min(1).max(300) }),
        response: { 201: z.object({ kind: z.string(), version: z.string().nullable(), records: z.number().int() }) },
      },
    },
    async (req, reply) => {
      if (!Buffer.isBuffer(req.body) || req.body.length === 0)
        throw new AppError(ErrorCode.badRequest, 'send the feed file as the body, with Content-Type application/octet-stream');
      const data = new Uint8Array(req.body);
      let feed: ParsedFeed;
      try {
        feed = parseFeed(data);
      } catch (err) {
        if (err instanceof FeedError) throw new AppError(err.code, `${req.query.name}: ${err.message}; nothing was imported`);
        throw err;
      }
      const r = await app.vulnerabilities.importFeed(data, req.query.name, actorOf(req.principal), { feed });
      // This process re-matches now; the others notice the new data within their check interval.
      void app.vulnerabilities.refresh().catch((err: unknown) => req.log.warn({ err }, 'vulnerability data could not be reloaded'));
      return reply.code(201).send({ kind: r.kind, version: r.version ?? null, records: r.records });
    },
  );
};

export default feedRoutes;
