import { AgentPackages } from '@plumbline/protocol/api';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { agentDistDir, agentPackages } from '../../../install/agent-packages';

/** GET /api/v1/agent-packages: the token page shows whether the install command works yet, and a running build's progress. */
const agentPackageRoutes: FastifyPluginAsyncZod = async (app) => {
  const dir = agentDistDir();
  app.get('', { preHandler: app.requireRole(), schema: { response: { 200: AgentPackages } } }, async () => agentPackages(dir));
};

export default agentPackageRoutes;
