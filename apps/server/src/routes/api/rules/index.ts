import { GroupItem, ListQuery, page, RuleItem, SeverityName } from '@plumbline/protocol/api';
import { ContentError, formatProblem, profileRules } from '@plumbline/benchmarks/load';
import type { Rule } from '@plumbline/benchmarks/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { appendAuditInTx } from '../../../audit/trail';
import { AppError, ErrorCode } from '../../../errors';
import type { Prisma } from '../../../generated/prisma/client';
import { actorOf } from '../../../plugins/app/auth';

const SEVERITY_RANK = { critical: 0, high: 1, medium: 2, low: 3 } as const;

/** The rule catalogue with fleet counts, and groups with their policy. */
export const ruleRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const content = app.policy.content;
  const members = new Map([...content.profiles.values()].map((p) => [p.id, new Set(profileRules(content, p).map((r) => r.id))]));
  const profilesOf = (id: string) => [...members].filter(([, ids]) => ids.has(id)).map(([p]) => p);

  async function toItem(
    rule: Rule,
    stats?: { failCount: number; passCount: number },
    custom = app.policy.customRule(rule.id),
  ): Promise<RuleItem> {
    return {
      id: rule.id,
      title: rule.title,
      description: rule.description,
      rationale: rule.rationale,
      severity: rule.severity,
      levels: rule.levels,
      section: rule.section,
      references: rule.references as Record<string, string[]>,
      remediation: rule.remediation ?? {},
      profiles: profilesOf(rule.id),
      failingHosts: stats?.failCount ?? 0,
      passingHosts: stats?.passCount ?? 0,
      custom: custom ? { file: custom.file, version: custom.version } : null,
    };
  }

  app.get(
    '/api/v1/rules',
    {
      preHandler: app.requireRole(),
      schema: {
        querystring: ListQuery.extend({
          q: z.string().max(200).optional(),
          severity: SeverityName.optional(),
          section: z.string().max(32).optional(),
          profile: z.string().max(64).optional(),
          sort: z.enum(['id', 'failingHosts', 'severity']).default('failingHosts'),
        }),
        response: { 200: page(RuleItem) },
      },
    },
    async (req) => {
      const q = req.query;
      const stats = new Map((await prisma.ruleStat.findMany()).map((s) => [s.ruleId, s]));
      const profile = q.profile ? content.profiles.get(q.profile) : undefined;
      if (q.profile && !profile) throw new AppError(ErrorCode.badRequest, `profile: unknown profile ${q.profile}`);
      // Uploaded rules are listed too, whichever groups enable them (marked with their file and version).
      const custom = await app.policy.activeCustomRules();
      const rules = [...content.rules, ...custom.map((c) => c.rule)]
        .filter((r) => (!q.severity || r.severity === q.severity) && (!profile || members.get(profile.id)!.has(r.id)))
        .filter((r) => !q.section || r.section.id === q.section || r.section.id.startsWith(`${q.section}.`))
        .filter(
          (r) => !q.q || `${r.id} ${r.title} ${Object.values(r.references).flat().join(' ')}`.toLowerCase().includes(q.q.toLowerCase()),
        )
        .sort((a, b) =>
          q.sort === 'id'
            ? a.id.localeCompare(b.id)
            : q.sort === 'severity'
              ? SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || a.id.localeCompare(b.id)
              : (stats.get(b.id)?.failCount ?? 0) - (stats.get(a.id)?.failCount ?? 0) || a.id.localeCompare(b.id),
        );
      return {
        total: rules.length,
        items: await Promise.all(rules.slice(q.offset, q.offset + q.limit).map((r) => toItem(r, stats.get(r.id)))),
      };
    },
  );

  app.get(
    '/api/v1/rules/:id',
    { preHandler: app.requireRole(), schema: { params: z.object({ id: z.string().max(200) }), response: { 200: RuleItem } } },
    async (req) => {
      await app.policy.knowRules([req.params.id]);
      const rule = app.policy.rule(req.params.id);
      if (!rule) throw new AppError(ErrorCode.notFound, `no rule ${req.params.id}`);
      return toItem(rule, (await prisma.ruleStat.findUnique({ where: { ruleId: rule.id } })) ?? undefined);
    },
  );

  const groupItem = async (g: Prisma.GroupGetPayload<object>): Promise<GroupItem> => ({
    name: g.name,
    profileId: g.profileId,
    tailoring: g.tailoring as GroupItem['tailoring'],
    allowedPorts: g.allowedPorts as GroupItem['allowedPorts'],
    hosts: await prisma.host.count({ where: { groupName: g.name } }),
    customRules: g.customRules,
  });

  app.get('/api/v1/groups', { preHandler: app.requireRole(), schema: { response: { 200: page(GroupItem) } } }, async () => {
    const groups = await prisma.group.findMany({ orderBy: { name: 'asc' } });
    return { total: groups.length, items: await Promise.all(groups.map(groupItem)) };
  });

  const GroupBody = GroupItem.pick({ profileId: true, tailoring: true, allowedPorts: true }).partial();

  /** Creates or changes a group's policy; its hosts are judged again from their stored facts. */
  app.put(
    '/api/v1/groups/:name',
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

  /** Moves a host to a group and sets its tags; it is judged again at once. */
  app.patch(
    '/api/v1/hosts/:id',
    {
      preHandler: app.requireRole('admin', 'operator'),
      schema: {
        params: z.object({ id: z.uuid() }),
        body: z.object({
          group: z.string().max(100).nullable().optional(),
          tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
        }),
      },
    },
    async (req, reply) => {
      const host = await prisma.host.findUnique({ where: { id: req.params.id } });
      if (!host) throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const { group, tags } = req.body;
      if (group && !(await prisma.group.findUnique({ where: { name: group } })))
        throw new AppError(ErrorCode.badRequest, `group: no group ${group}`);
      await prisma.$transaction(async (tx) => {
        await tx.host.update({
          where: { id: host.id },
          data: { ...(group !== undefined && { groupName: group }), ...(tags && { tags: [...new Set(tags)].sort() }) },
        });
        await appendAuditInTx(tx, { actor: actorOf(req.principal), action: 'host.update', target: host.id, details: { group, tags } });
      });
      await app.ingest.reevaluate(host.id);
      return reply.code(204).send();
    },
  );
};
