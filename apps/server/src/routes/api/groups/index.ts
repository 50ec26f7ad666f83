import { GroupItem, page } from '@plumbline/protocol/api';
import { ContentError, formatProblem } from '@plumbline/benchmarks/load';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditInTx } from '../../../audit/trail';
import { AppError, ErrorCode } from '../../../errors';
import type { Prisma } from '../../../generated/prisma/client';
import { actorOf } from '../../../plugins/app/auth';

/** Groups with their policy. */
const groupRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  const groupItem = async (g: Prisma.GroupGetPayload<object>): Promise<GroupItem> => ({
    name: g.name,
    profileId: g.profileId,
    tailoring: g.tailoring as GroupItem['tailoring'],
    allowedPorts: g.allowedPorts as GroupItem['allowedPorts'],
    hosts: await prisma.host.count({ where: { groupName: g.name } }),
    customRules: g.customRules,
  });

  app.get('', { preHandler: app.requireRole(), schema: { response: { 200: page(GroupItem) } } }, async () => {
    const groups = await prisma.group.findMany({ orderBy: { name: 'asc' } });
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
      const current = await prisma.group.findUnique({ where: { name: req.params.name } });
      const policy = {
        profileId: req.body.profileId ?? current?.profileId ?? 'cis-l1-server',
        tailoring: req.body.tailoring ?? (current?.tailoring as GroupItem['tailoring'] | undefined) ?? {},
        allowedPorts: req.body.allowedPorts ?? (current?.allowedPorts as GroupItem['allowedPorts'] | undefined) ?? [],
      };
      try {
        app.policy.select(policy);
      } catch (err) {
        if (err instanceof ContentError)
          throw new AppError(
            ErrorCode.badRequest,
            err.problems.map((p) => formatProblem(p).replace(/^tailoring:0: /, 'tailoring.')).join('; '),
          );
        throw err;
      }
      const data = {
        profileId: policy.profileId,
        tailoring: policy.tailoring as Prisma.InputJsonValue,
        allowedPorts: policy.allowedPorts as Prisma.InputJsonValue,
      };
      const group = await prisma.$transaction(async (tx) => {
        const g = await tx.group.upsert({ where: { name: req.params.name }, create: { name: req.params.name, ...data }, update: data });
        await appendAuditInTx(tx, { actor: actorOf(req.principal), action: 'group.policy', target: g.name, details: policy });
        return g;
      });
      const hosts = await prisma.host.findMany({ where: { groupName: group.name }, select: { id: true } });
      void (async () => {
        for (const h of hosts)
          await app.ingest.reevaluate(h.id).catch((err: unknown) => req.log.error({ err, hostId: h.id }, 're-evaluation failed'));
      })();
      return groupItem(group);
    },
  );
};

export default groupRoutes;
