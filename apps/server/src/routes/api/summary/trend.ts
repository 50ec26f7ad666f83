import { SummaryTrendQuery, Trend } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError, ErrorCode } from '../../../errors';
import { ratio, samples, sinceOf } from '../../../scores/trend';

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
      if (group && !(await prisma.group.findUnique({ where: { name: group }, select: { name: true } }))) {
        throw new AppError(ErrorCode.notFound, `no group ${group}`);
      }
      const points = await samples(prisma, group ? 'group' : 'fleet', group ?? '', since, bucket);
      const agg = await prisma.host.aggregate({
        where: group ? { groupName: group } : {},
        _sum: { passWeight: true, failWeight: true, waivedWeight: true },
        _count: { _all: true },
      });
      const [pw, fw, ww] = [agg._sum.passWeight ?? 0, agg._sum.failWeight ?? 0, agg._sum.waivedWeight ?? 0];
      points.push({ at: now.toISOString(), score: ratio(pw, pw + fw), scoreWithWaivers: ratio(pw + ww, pw + fw), hosts: agg._count._all });
      return { since: since.toISOString(), bucket, points };
    },
  );
};

export default summaryTrendRoutes;
