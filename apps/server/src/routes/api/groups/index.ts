import { GroupItem, page } from '@plumbline/protocol/api';
import { ContentError, formatProblem } from '@plumbline/benchmarks/load';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import { reevaluateGroups } from '../../../policy/reevaluate';
import { groupHostCount, listGroups, saveGroupPolicy, type GroupPolicyData, type GroupRow } from '../../../policy/repository';

/** Groups with their policy. */
const groupRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  const groupItem = async (g: GroupRow): Promise<GroupItem> => ({
    name: g.name,
    profileId: g.profileId,
    tailoring: g.tailoring as GroupItem['tailoring'],
    allowedPorts: g.allowedPorts as GroupItem['allowedPorts'],
    hosts: await groupHostCount(prisma, g.name),
    customRules: g.customRules,
  });

  app.get('', { preHandler: app.requireRole(), schema: { response: { 200: page(GroupItem) } } }, async () => {
    const groups = await listGroups(prisma);
    return { total: groups.length, items: await Promise.all(groups.map(groupItem)) };
  });

  const GroupBody = GroupItem.pick({ profileId: true, tailoring: true, allowedPorts: true }).partial();

  /** Creates or changes a group's policy; its hosts are judged again from their stored facts. */
  app.put(
    '/:name',
    {
      preHandler: app.requireRole('admin', 'operator'),
      schema: {
        params: z.object({
          name: z
            .string()
            .trim()
            .min(1)
            .max(100)
            .regex(/^[\w.-]+$/, 'letters, digits, . _ -'),
        }),
        body: GroupBody,
        response: { 200: GroupItem },
      },
    },
    async (req) => {
      const check = (policy: GroupPolicyData) => {
        try {
          app.policy.select({
            profileId: policy.profileId,
            tailoring: policy.tailoring as GroupItem['tailoring'],
            allowedPorts: policy.allowedPorts as GroupItem['allowedPorts'],
          });
        } catch (err) {
          if (err instanceof ContentError)
            throw new AppError(
              ErrorCode.badRequest,
              err.problems.map((p) => formatProblem(p).replace(/^tailoring:0: /, 'tailoring.')).join('; '),
            );
          throw err;
        }
      };
      const group = await saveGroupPolicy(prisma, req.params.name, req.body, actorOf(req.principal), check);
      reevaluateGroups(app, [group.name], req.log);
      return groupItem(group);
    },
  );
};

export default groupRoutes;
