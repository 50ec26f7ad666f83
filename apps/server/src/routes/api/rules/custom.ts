import { ListQuery, page } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../errors';
import { actorOf } from '../../../plugins/app/auth';
import {
  CustomRuleName,
  MAX_RULE_SOURCE_BYTES,
  retireCustomRules,
  RulesInvalidError,
  uploadCustomRules,
} from '../../../policy/custom-rules';
import { reevaluateGroups } from '../../../policy/reevaluate';
import { customFileVersions, findCustomFile } from '../../../policy/repository';

const FileVersion = z.object({
  name: z.string(),
  version: z.number().int(),
  sha256: z.string(),
  ruleIds: z.array(z.string()),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
  retiredAt: z.string().nullable(),
});
const RulesInvalid = z.object({
  code: z.literal(ErrorCode.rulesInvalid),
  message: z.string(),
  errors: z.array(z.object({ file: z.string(), line: z.number(), message: z.string() })),
});
const NameParams = z.object({ name: CustomRuleName });

/**
 * Custom rule files: uploaded as YAML in the bundled content's format, validated by the
 * engine's loader, versioned per name, and enabled per group.
 */
const customRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;
  const toVersion = (f: {
    name: string;
    version: number;
    sha256: string;
    ruleIds: string[];
    uploadedBy: string;
    uploadedAt: Date;
    retiredAt: Date | null;
  }) => ({
    name: f.name,
    version: f.version,
    sha256: f.sha256,
    ruleIds: f.ruleIds,
    uploadedBy: f.uploadedBy,
    uploadedAt: f.uploadedAt.toISOString(),
    retiredAt: f.retiredAt?.toISOString() ?? null,
  });

  app.post(
    '/custom',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        body: z.object({ name: z.string().max(100), source: z.string().max(MAX_RULE_SOURCE_BYTES) }),
        response: {
          201: FileVersion.pick({ name: true, version: true, sha256: true, ruleIds: true }),
          400: RulesInvalid.or(z.object({ code: z.string(), message: z.string() })),
        },
      },
    },
    async (req, reply) => {
      try {
        const out = await uploadCustomRules(prisma, { name: req.body.name, source: req.body.source, actor: actorOf(req.principal) });
        // This process knows the new rules at once; other replicas when their groups' caches rebuild.
        app.policy.rulesOf(out.file);
        reevaluateGroups(app, out.groups, req.log);
        return reply.code(201).send({ name: out.name, version: out.version, sha256: out.sha256, ruleIds: out.ruleIds });
      } catch (err) {
        if (err instanceof RulesInvalidError)
          return reply.code(400).send({ code: ErrorCode.rulesInvalid, message: err.message, errors: err.problems });
        throw err;
      }
    },
  );

  app.get(
    '/custom',
    {
      preHandler: app.requireRole(),
      schema: { querystring: ListQuery.extend({ name: CustomRuleName.optional() }), response: { 200: page(FileVersion) } },
    },
    async (req) => {
      const { rows, total } = await customFileVersions(prisma, req.query.name, req.query);
      return { total, items: rows.map(toVersion) };
    },
  );

  app.get(
    '/custom/:name',
    {
      preHandler: app.requireRole(),
      schema: {
        params: NameParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647).optional() }),
        response: { 200: FileVersion.extend({ source: z.string() }) },
      },
    },
    async (req) => {
      const row = await findCustomFile(prisma, req.params.name, req.query.version);
      if (!row)
        throw new AppError(
          ErrorCode.notFound,
          `no custom rule file ${req.params.name}${req.query.version ? ` version ${req.query.version}` : ''}`,
        );
      return { ...toVersion(row), source: row.source };
    },
  );

  /** Retires a file: no group is judged by it any more; its versions stay readable for the record. */
  app.delete('/custom/:name', { preHandler: app.requireRole('admin'), schema: { params: NameParams } }, async (req, reply) => {
    const out = await retireCustomRules(prisma, req.params.name, actorOf(req.principal));
    app.policy.forgetFile(req.params.name);
    reevaluateGroups(app, out.groups, req.log);
    return reply.code(204).send();
  });
};

export default customRuleRoutes;
