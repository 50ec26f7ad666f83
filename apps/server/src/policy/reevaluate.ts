import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { hostIdsInGroups } from './repository';

/** Judges the hosts of these groups again from their stored facts, in the background like a group policy change. */
export function reevaluateGroups(app: FastifyInstance, groups: string[], log: FastifyBaseLogger): void {
  if (!groups.length) return;
  void (async () => {
    for (const hostId of await hostIdsInGroups(app.db.prisma, groups))
      await app.ingest.reevaluate(hostId).catch((err: unknown) => log.error({ err, hostId }, 're-evaluation failed'));
  })().catch((err: unknown) => log.error({ err, groups }, 're-evaluation failed'));
}
