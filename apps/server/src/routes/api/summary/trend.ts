import { SummaryTrendQuery, Trend } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, ErrorCode } from '../../../errors';
import { groupExists } from '../../../policy/repository';
import { currentWeights, ratio, samples, sinceOf } from '../../../scores/repository';

/**
 * The fleet's or a group's score trend from the periodic samples (see scores/sampler.ts),
 * with the current score appended as the last point.
 */
const summaryTrendRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  app.get(
    '/trend',
    { preHandler: app.requireRole(), schema: { querystring: SummaryTrendQuery, response: { 200: Trend } } },
    async (req) => {
      const { group, bucket } = req.query;
      const now = new Date();
      const since = sinceOf(req.query.since, now);
      if (group && !(await groupExists(prisma, group))) {
        throw new AppError(ErrorCode.notFound, `no group ${group}`);
      }
      const points = await samples(prisma, group ? 'group' : 'fleet', group ?? '', since, bucket);
      const { pass: pw, fail: fw, waived: ww, hosts } = await currentWeights(prisma, group);
      points.push({ at: now.toISOString(), score: ratio(pw, pw + fw), scoreWithWaivers: ratio(pw + ww, pw + fw), hosts });
      return { since: since.toISOString(), bucket, points };
    },
  );
};

export default summaryTrendRoutes;
