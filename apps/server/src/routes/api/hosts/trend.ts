import { SummaryTrendQuery, Trend, TrendQuery, type TrendPoint } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import type { PrismaClient } from '../../../generated/prisma/client';

const DEFAULT_DAYS = 30;
const ratio = (num: number, den: number) => (den > 0 ? Math.round((1000 * num) / den) / 10 : null);

/** The stored samples of one series, the last one of each hour or day, oldest first. */
async function samples(prisma: PrismaClient, scope: string, scopeId: string, since: Date, bucket: 'hour' | 'day'): Promise<TrendPoint[]> {
  const rows = await prisma.$queryRawUnsafe<{ at: Date; score: number | null; score_waived: number | null; hosts: number }[]>(
    `SELECT at, score, score_waived, hosts FROM (
       SELECT DISTINCT ON (date_trunc($4, at, 'UTC')) at, score, score_waived, hosts FROM score_samples
       WHERE scope = $1 AND scope_id = $2 AND at >= $3::timestamptz
       ORDER BY date_trunc($4, at, 'UTC'), at DESC
     ) s ORDER BY at`,
    scope,
    scopeId,
    since,
    bucket,
  );
  return rows.map((r) => ({ at: r.at.toISOString(), score: r.score, scoreWithWaivers: r.score_waived, hosts: Number(r.hosts) }));
}

/**
 * Score trends from the periodic samples (see scores/sampler.ts). The current score is
 * appended as the last point, so a new install, or a host enrolled since the last sample,
 * still shows where it stands.
 */
export const trendRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const sinceOf = (since: string | undefined, now: Date) => (since ? new Date(since) : new Date(now.getTime() - DEFAULT_DAYS * 86_400_000));

  app.get(
    '/api/v1/summary/trend',
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

  app.get(
    '/api/v1/hosts/:id/trend',
    { preHandler: app.requireRole(), schema: { params: z.object({ id: z.uuid() }), querystring: TrendQuery, response: { 200: Trend } } },
    async (req) => {
      const { bucket } = req.query;
      const now = new Date();
      const since = sinceOf(req.query.since, now);
      const host = await prisma.host.findUnique({ where: { id: req.params.id }, select: { score: true, scoreWaived: true } });
      if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const points = await samples(prisma, 'host', req.params.id, since, bucket);
      points.push({ at: now.toISOString(), score: host.score, scoreWithWaivers: host.scoreWaived, hosts: 1 });
      return { since: since.toISOString(), bucket, points };
    },
  );
};
