import type { TrendPoint } from '@plumbline/protocol/api';
import type { PrismaClient } from '../generated/prisma/client';

const DEFAULT_DAYS = 30;
export const ratio = (num: number, den: number) => (den > 0 ? Math.round((1000 * num) / den) / 10 : null);

/** The stored samples of one series, the last one of each hour or day, oldest first. */
export async function samples(
  prisma: PrismaClient,
  scope: string,
  scopeId: string,
  since: Date,
  bucket: 'hour' | 'day',
): Promise<TrendPoint[]> {
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

/** The start of a trend: the one asked for, or DEFAULT_DAYS back. */
export const sinceOf = (since: string | undefined, now: Date) =>
  since ? new Date(since) : new Date(now.getTime() - DEFAULT_DAYS * 86_400_000);

/** The current score of a host (null when there is no such host). */
export function hostScore(prisma: PrismaClient, hostId: string) {
  return prisma.host.findUnique({ where: { id: hostId }, select: { score: true, scoreWaived: true } });
}

/** The fleet's (or a group's) summed rule weights and host count: the current score's inputs. */
export async function currentWeights(prisma: PrismaClient, group: string | undefined) {
  const agg = await prisma.host.aggregate({
    where: group ? { groupName: group } : {},
    _sum: { passWeight: true, failWeight: true, waivedWeight: true },
    _count: { _all: true },
  });
  return { pass: agg._sum.passWeight ?? 0, fail: agg._sum.failWeight ?? 0, waived: agg._sum.waivedWeight ?? 0, hosts: agg._count._all };
}
