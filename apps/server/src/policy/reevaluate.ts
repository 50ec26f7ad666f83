import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** Judges the hosts of these groups again from their stored facts, in the background like a group policy change. */
export function reevaluateGroups(app: FastifyInstance, groups: string[], log: FastifyBaseLogger): void {
  if (!groups.length) return;
  void (async () => {
    const hosts = await app.db.prisma.host.findMany({ where: { groupName: { in: groups } }, select: { id: true } });
    for (const h of hosts)
      await app.ingest.reevaluate(h.id).catch((err: unknown) => log.error({ err, hostId: h.id }, 're-evaluation failed'));
  })().catch((err: unknown) => log.error({ err, groups }, 're-evaluation failed'));
}
