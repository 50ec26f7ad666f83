import { Trend, TrendQuery } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { hostScore, samples, sinceOf } from '../../../scores/repository';

/**
 * Score trends from the periodic samples (see scores/sampler.ts). The current score is
 * appended as the last point, so a new install, or a host enrolled since the last sample,
 * still shows where it stands.
 */
const trendRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  app.get(
    '/:id/trend',
    { preHandler: app.requireRole(), schema: { params: z.object({ id: z.uuid() }), querystring: TrendQuery, response: { 200: Trend } } },
    async (req) => {
      const { bucket } = req.query;
      const now = new Date();
      const since = sinceOf(req.query.since, now);
      const host = await hostScore(prisma, req.params.id);
      if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const points = await samples(prisma, 'host', req.params.id, since, bucket);
      points.push({ at: now.toISOString(), score: host.score, scoreWithWaivers: host.scoreWaived, hosts: 1 });
      return { since: since.toISOString(), bucket, points };
    },
  );
};

export default trendRoutes;
