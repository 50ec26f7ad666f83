import { BaselineApprove, BaselineCompareQuery, BaselineComparison, BaselineDetail, BaselineMeta } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { compareToBaseline } from '../../../baselines/compare';
import { approveBaseline, type BaselineRow, clearBaseline, findBaseline, goldenHostId, verdictsOf } from '../../../baselines/repository';
import { AppError, ErrorCode } from '../../../errors';
import { findHost as findHostRow, readHostFacts } from '../../../hosts/repository';
import type { DbClient } from '../../../db/open';
import { actorOf } from '../../../plugins/app/auth';

const HostParams = z.object({ id: z.string().max(64) });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that is not even a UUID names no host: 404, like an unknown one. */
async function findHost(prisma: DbClient, id: string) {
  const host = UUID.test(id) ? await findHostRow(prisma, id) : null;
  if (!host) throw new AppError(ErrorCode.notFound, `no host ${id}`);
  return host;
}

function meta(b: BaselineRow): BaselineMeta {
  return {
    hostId: b.hostId,
    hostname: b.host.hostname,
    approvedBy: b.approvedBy,
    approvedAt: b.approvedAt.toISOString(),
    note: b.note,
    factsObservedAt: b.factsObservedAt.toISOString(),
    factCount: Object.keys(b.facts as object).length,
    verdictCount: Object.keys(b.verdicts as object).length,
  };
}

/**
 * Baselines: an admin or operator approves a host's current facts and verdicts as its
 * baseline, and may name a golden host for a group. A group's baseline is its golden
 * host's *approved* baseline (not its live state), so the reference only moves when
 * someone approves it again. Ingest records baseline drift against the host's own
 * baseline, or else its group's (see baseline/drift.ts).
 */
const baselineRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const writers = app.requireRole('admin', 'operator');
  const anyRole = app.requireRole();

  app.post(
    '/:id/baseline',
    { preHandler: writers, schema: { params: HostParams, body: BaselineApprove.nullish(), response: { 201: BaselineMeta } } },
    async (req, reply) => {
      const host = await findHost(prisma, req.params.id);
      const actor = actorOf(req.principal);
      const note = req.body?.note || null;
      const baseline = await approveBaseline(prisma, host, actor, note);
      if (!baseline) throw new AppError(ErrorCode.conflict, 'the host has sent no facts yet: nothing to approve');
      return reply.code(201).send(meta(baseline));
    },
  );

  app.get('/:id/baseline', { preHandler: anyRole, schema: { params: HostParams, response: { 200: BaselineDetail } } }, async (req) => {
    const host = await findHost(prisma, req.params.id);
    const b = await findBaseline(prisma, host.id);
    if (!b) throw new AppError(ErrorCode.noBaseline, `host ${host.hostname} has no approved baseline`);
    return { ...meta(b), facts: b.facts as Record<string, unknown>, verdicts: b.verdicts as BaselineDetail['verdicts'] };
  });

  app.delete('/:id/baseline', { preHandler: writers, schema: { params: HostParams } }, async (req, reply) => {
    const host = await findHost(prisma, req.params.id);
    if (!(await clearBaseline(prisma, host, actorOf(req.principal))))
      throw new AppError(ErrorCode.noBaseline, `host ${host.hostname} has no approved baseline`);
    return reply.code(204).send();
  });

  app.get(
    '/:id/baseline/compare',
    { preHandler: anyRole, schema: { params: HostParams, querystring: BaselineCompareQuery, response: { 200: BaselineComparison } } },
    async (req) => {
      const { against, limit, offset } = req.query;
      const host = await findHost(prisma, req.params.id);
      const baseline = await referenceOf(host, against);
      const [facts, verdicts] = await Promise.all([readHostFacts(prisma, host.id), verdictsOf(prisma, host.id)]);
      const diff = compareToBaseline(
        { facts: baseline.facts as Record<string, unknown>, verdicts: baseline.verdicts as Record<string, string> },
        { facts: facts?.facts ?? {}, verdicts },
      );
      type Verdict = BaselineComparison['verdicts']['items'][number]['baseline'];
      return {
        against,
        baseline: meta(baseline),
        facts: {
          total: diff.facts.length,
          items: diff.facts
            .slice(offset, offset + limit)
            .map((d) => ({ fact: d.fact, path: d.path, op: d.op, baseline: d.before, current: d.after })),
        },
        verdicts: {
          total: diff.verdicts.length,
          items: diff.verdicts.slice(offset, offset + limit).map((v) => {
            const rule = app.policy.rule(v.ruleId);
            return {
              ruleId: v.ruleId,
              title: rule?.title ?? null,
              severity: rule?.severity ?? null,
              baseline: v.baseline as Verdict,
              current: v.current as Verdict,
            };
          }),
        },
      };
    },
  );

  /** The baseline a host is compared to: its own, or its group's golden host's approved one. */
  async function referenceOf(
    host: { id: string; hostname: string; groupName: string | null },
    against: 'own' | 'group',
  ): Promise<BaselineRow> {
    if (against === 'own') {
      const b = await findBaseline(prisma, host.id);
      if (!b) throw new AppError(ErrorCode.noBaseline, `host ${host.hostname} has no approved baseline`);
      return b;
    }
    if (!host.groupName) throw new AppError(ErrorCode.noBaseline, `host ${host.hostname} is in no group`);
    const golden = await goldenHostId(prisma, host.groupName);
    if (!golden) throw new AppError(ErrorCode.noBaseline, `group ${host.groupName} has no golden host`);
    const b = await findBaseline(prisma, golden);
    if (!b) throw new AppError(ErrorCode.noBaseline, `the golden host of group ${host.groupName} has no approved baseline`);
    return b;
  }
};

export default baselineRoutes;
