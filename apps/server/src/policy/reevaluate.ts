import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { hostIdsInGroups } from './repository';

/**
 * Judges hosts again from their stored facts. All are asked for at once, so that they are
 * judged many to a transaction (see IngestService.reevaluate); a host that fails is logged.
 * `first`: the caller waits for them (an API request), so they go ahead of a policy change's.
 */
export async function reevaluateHosts(
  app: FastifyInstance,
  hostIds: readonly string[],
  log: FastifyBaseLogger,
  { first = false }: { first?: boolean } = {},
): Promise<void> {
  await Promise.all(
    hostIds.map((hostId) =>
      app.ingest.reevaluate(hostId, { first }).catch((err: unknown) => log.error({ err, hostId }, 're-evaluation failed')),
    ),
  );
}

/** Judges the hosts of these groups again, in the background, after a change of their policy. */
export function reevaluateGroups(app: FastifyInstance, groups: string[], log: FastifyBaseLogger): void {
  if (!groups.length) return;
  void hostIdsInGroups(app.db.prisma, groups)
    .then((hostIds) => reevaluateHosts(app, hostIds, log))
    .catch((err: unknown) => log.error({ err, groups }, 're-evaluation failed'));
}
