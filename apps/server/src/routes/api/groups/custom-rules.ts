import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf } from '../../../plugins/app/auth';
import { reevaluateGroups } from '../../../policy/reevaluate';
import { CustomRuleName, setGroupCustomRules } from '../../../policy/custom-rules';
/** Which custom rule files a group is judged by; its hosts are judged again. */
const groupCustomRuleRoutes: FastifyPluginAsyncZod = async (app) => {
  const prisma = app.db.prisma;

  app.put(
    '/:name/custom-rules',
    {
      preHandler: app.requireRole('admin'),
      schema: {
        params: z.object({ name: z.string().max(100) }),
        body: z.object({ files: z.array(CustomRuleName).max(100) }),
        response: { 200: z.object({ group: z.string(), files: z.array(z.string()) }) },
      },
    },
    async (req) => {
      const files = await setGroupCustomRules(prisma, req.params.name, req.body.files, actorOf(req.principal));
      reevaluateGroups(app, [req.params.name], req.log);
      return { group: req.params.name, files };
    },
  );
};

export default groupCustomRuleRoutes;
