import { HostsBulkResult, HostsBulkUpdate } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { assignHost, bulkAssignHosts, findHost } from '../../../hosts/repository';
import { reevaluateHosts } from '../../../policy/reevaluate';
import { groupExists } from '../../../policy/repository';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf, hostScope } from '../../../plugins/app/auth';

const hostAssignmentRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const writers = app.requireRole('admin', 'operator');

  async function requireGroup(group: string | null | undefined): Promise<void> {
    if (group && !(await groupExists(prisma, group))) throw new AppError(ErrorCode.badRequest, `group: no group ${group}`);
  }

  /** Moves a host to a group and sets its tags; it is judged again at once. */
  app.patch(
    '/:id',
    {
      preHandler: writers,
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({
          group: z.string().max(100).nullable().optional(),
          tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        }),
      },
    },
    async (req, reply) => {
      const host = await findHost(prisma, req.params.id);
      if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const { group, tags } = req.body;
      await requireGroup(group);
      await assignHost(prisma, host.id, { group, tags }, actorOf(req.principal));
      await app.ingest.reevaluate(host.id, { first: true });
      return reply.code(204).send();
    },
  );

  /**
   * Sets the group or edits the tags of many hosts (by id, or all the hosts list's filters
   * match) in one transaction with one audit entry; each host changed is judged again at once,
   * as after PATCH /hosts/:id.
   */
  app.post('/bulk', { preHandler: writers, schema: { body: HostsBulkUpdate, response: { 200: HostsBulkResult } } }, async (req) => {
    const { ids, filter, ...change } = req.body;
    await requireGroup(change.group);
    const target = ids ? { ids } : { filter: filter ?? {} };
    const out = await bulkAssignHosts(prisma, target, change, hostScope(req), actorOf(req.principal));
    if ('missing' in out) {
      const shown = out.missing.slice(0, 10).join(', ');
      throw new AppError(
        ErrorCode.notFound,
        `ids: no host ${shown}${out.missing.length > 10 ? ` and ${out.missing.length - 10} more` : ''}`,
      );
    }
    await reevaluateHosts(app, out.updated, req.log, { first: true });
    return { matched: out.matched.length, updated: out.updated.length, hostIds: out.updated };
  });
};

export default hostAssignmentRoutes;
