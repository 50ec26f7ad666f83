import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { OscapComparison } from '@plumbline/protocol/api';
import { assertComparable, compareWithOscap, OscapInputError, oscapResultReader } from '@plumbline/benchmarks/format/compare-oscap';
import type { Rule } from '@plumbline/benchmarks/schema';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { findHost } from '../../../hosts/repository';
import { hostScope } from '../../../plugins/app/auth';
import { hostResultRows } from '../../../results/repository';
import { storedResults } from '../../../results/present';

/** An ARF report of SSG's whole Ubuntu 22.04 content is about 15 MB; results of one profile far less. */
export const OSCAP_UPLOAD_LIMIT = 32 * 1024 * 1024;
/** The upload is parsed in slices of this size, the event loop free between them. */
const SLICE = 1024 * 1024;

/**
 * A second opinion on a host: an OpenSCAP XCCDF 1.2 or ARF result (`oscap xccdf eval --results` or
 * `--results-arf`) uploaded as the body is compared rule by rule, through the SSG ids in our rules'
 * references, with the host's latest results. Nothing is stored.
 */
const oscapComparisonRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  // Only this plugin's routes take XML bodies; each is read as text and parsed by the route.
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string', bodyLimit: OSCAP_UPLOAD_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.post(
    '/:id/oscap-comparison',
    {
      preHandler: app.requireRole(),
      bodyLimit: OSCAP_UPLOAD_LIMIT,
      schema: { params: z.object({ id: z.string().max(64) }), response: { 200: OscapComparison } },
    },
    async (req) => {
      const host = await findHost(prisma, req.params.id).catch(() => null);
      // Outside a group-scoped key's group, a host is answered like an unknown one.
      if (!host || (hostScope(req) !== null && host.groupName !== hostScope(req)))
        throw new AppError(ErrorCode.notFound, `no host ${req.params.id}`);
      const body: unknown = req.body;
      if (typeof body !== 'string' || body.length === 0)
        throw new AppError(
          ErrorCode.notOscapResult,
          'send the OpenSCAP result file as the body, with Content-Type application/xml (oscap xccdf eval --results or --results-arf)',
        );
      const file = await (async () => {
        const reader = oscapResultReader();
        try {
          for (let i = 0; i < body.length; i += SLICE) {
            reader.write(body.slice(i, i + SLICE));
            await yieldToLoop();
          }
          return reader.close();
        } catch (e) {
          if (e instanceof OscapInputError) throw new AppError(ErrorCode.notOscapResult, e.message);
          throw e;
        }
      })();

      const rows = await hostResultRows(prisma, host.id);
      if (!rows.length) throw new AppError(ErrorCode.conflict, `host ${host.hostname} has no results yet to compare with`);
      await app.policy.knowRules(rows.map((r) => r.ruleId));
      const rules = new Map<string, Rule>();
      const results = storedResults(rows, (id) => {
        const rule = app.policy.rule(id);
        if (rule) rules.set(rule.id, rule);
        return rule;
      });
      const comparison = compareWithOscap(rules, results, file);
      try {
        assertComparable(comparison);
      } catch (e) {
        if (e instanceof OscapInputError) throw new AppError(ErrorCode.notOscapResult, e.message);
        throw e;
      }
      return { host: { id: host.id, hostname: host.hostname }, ...comparison };
    },
  );
};

export default oscapComparisonRoutes;
