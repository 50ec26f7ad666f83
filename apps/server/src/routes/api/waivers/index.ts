import { ListQuery, page, WaiverCreate, WaiverItem } from '@plumbline/protocol/api';
import { VULNERABILITY_ID } from '@plumbline/protocol/vulnerabilities';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import { groupExists } from '../../../policy/repository';
import { knownCve } from '../../../vulnerabilities/repository';
import { approveWaiver, createWaiver, findWaiver, hostIdsInScope, revokeWaiver, waiversPage } from '../../../waivers/repository';
import { waiverExpiry, waiverItem, waiverState } from '../../../waivers/item';

/**
 * Governed exceptions: a waiver names a rule or a CVE, a scope (host, group or tag), a
 * justification and an expiry no further out than the configured maximum. Created by an
 * admin or operator it applies at once (two-person approval is off by default); it
 * stops applying by itself when it expires, and revoking ends it early. A rule waiver counts
 * the rule's failures as waived in scores; a CVE waiver marks the CVE's findings waived.
 */
const waiverRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  const hostsIn = (scope: { type: string; id: string }) => hostIdsInScope(prisma, scope);
  /** Scores count rule waivers only: a CVE waiver changes none. */
  const rescore = async (w: { ruleId: string | null; scopeType: string; scopeId: string }) => {
    if (w.ruleId !== null) await app.evaluator.rescore(await hostsIn({ type: w.scopeType, id: w.scopeId }));
  };

  /** What the waiver targets, checked: a rule the server knows, or a CVE id the advisory data names. */
  const target = async (body: { ruleId?: string | undefined; cve?: string | undefined }): Promise<{ ruleId: string } | { cve: string }> => {
    if (body.cve !== undefined) {
      if (!VULNERABILITY_ID.test(body.cve))
        throw new AppError(ErrorCode.badCveId, `cve: '${body.cve}' is not a CVE id (CVE-2024-6387) or a tracker TEMP- id`);
      const cve = body.cve.toUpperCase();
      if (!(await knownCve(prisma, cve))) throw new AppError(ErrorCode.badRequest, `cve: no advisory data names ${cve}`);
      return { cve };
    }
    const ruleId = body.ruleId as string;
    await app.policy.knowRules([ruleId]);
    if (!app.policy.rule(ruleId)) throw new AppError(ErrorCode.badRequest, `ruleId: no rule ${ruleId}`);
    return { ruleId };
  };

  app.post(
    '',
    { preHandler: app.requireRole('admin', 'operator'), schema: { body: WaiverCreate, response: { 201: WaiverItem } } },
    async (req, reply) => {
      const { scope, justification } = req.body;
      const now = new Date();
      const what = await target(req.body);
      const expiresAt = waiverExpiry(req.body.expiresAt, now, app.config.waiverMaxDays);
      if (scope.type === 'host' && !(await hostsIn(scope).catch(() => [])).length)
        throw new AppError(ErrorCode.badRequest, `scope.id: no host ${scope.id}`);
      if (scope.type === 'group' && !(await groupExists(prisma, scope.id)))
        throw new AppError(ErrorCode.badRequest, `scope.id: no group ${scope.id}`);
      const actor = actorOf(req.principal);
      const approved = !app.config.twoPersonApproval;
      const waiver = await createWaiver(prisma, { ...what, justification, expiresAt, actor, approved, now }, scope);
      await rescore(waiver);
      return reply.code(201).send(waiverItem(waiver));
    },
  );

  app.post(
    '/:id/approve',
    { preHandler: app.requireRole('admin', 'operator'), schema: { params: z.object({ id: z.uuid() }), response: { 200: WaiverItem } } },
    async (req) => {
      const actor = actorOf(req.principal);
      const w = await findWaiver(prisma, req.params.id);
      if (!w) throw new AppError(ErrorCode.notFound, `no waiver ${req.params.id}`);
      if (waiverState(w, new Date()) !== 'requested')
        throw new AppError(ErrorCode.conflict, `waiver is ${waiverState(w, new Date())}, not awaiting approval`);
      if (w.requestedBy === actor) throw new AppError(ErrorCode.forbidden, 'a waiver needs a second person to approve it');
      // The state is checked again by the write itself: of approvers racing (or an approval
      // racing a revoke) one changes the row and is audited; the others get the 409 above.
      const now = new Date();
      const { waiver: updated, approved } = await approveWaiver(prisma, w.id, actor, now);
      if (!approved) throw new AppError(ErrorCode.conflict, `waiver is ${waiverState(updated, now)}, not awaiting approval`);
      await rescore(w);
      return waiverItem(updated);
    },
  );

  app.get(
    '',
    {
      preHandler: app.requireRole(),
      schema: {
        querystring: ListQuery.extend({
          state: z.enum(['requested', 'active', 'expired', 'revoked']).optional(),
          ruleId: z.string().optional(),
          cve: z.string().max(64).optional(),
          /** Rule waivers or CVE waivers only. */
          target: z.enum(['rule', 'cve']).optional(),
          expiringWithinDays: z.coerce.number().int().min(1).max(3650).optional(),
        }),
        response: { 200: page(WaiverItem) },
      },
    },
    async (req) => {
      const now = new Date();
      const q = req.query;
      const { rows, total } = await waiversPage(prisma, q, q, now);
      return { items: rows.map((w) => waiverItem(w, now)), total };
    },
  );

  app.delete(
    '/:id',
    { preHandler: app.requireRole('admin', 'operator'), schema: { params: z.object({ id: z.uuid() }), response: { 200: WaiverItem } } },
    async (req) => {
      const actor = actorOf(req.principal);
      const w = await findWaiver(prisma, req.params.id);
      if (!w) throw new AppError(ErrorCode.notFound, `no waiver ${req.params.id}`);
      if (w.revokedAt) return waiverItem(w);
      // Revoking twice at once revokes (and audits) once; the later request answers with the result.
      const updated = await revokeWaiver(prisma, w, actor);
      await rescore(w);
      return waiverItem(updated);
    },
  );
};

export default waiverRoutes;
