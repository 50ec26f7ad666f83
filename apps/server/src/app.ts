import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyAutoload from '@fastify/autoload';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifyWebsocket from '@fastify/websocket';
import { CloseCode, MAX_FRAME_BYTES } from '@plumbline/protocol/limits';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import type { Config } from './config';
import { configurePasswordHashing } from './crypto';
import type { Database } from './db/open';
import { AppError, ErrorCode, isRecordGone, isUniqueViolation } from './errors';
import type { LiveBus } from './live/bus';
import auditCheckpoints from './plugins/app/audit-checkpoints';
import authPlugin from './plugins/app/auth';
import csvPlugin from './plugins/app/csv';
import inputGuard, { frameworkErrors } from './plugins/app/input-guard';
import maintenancePlugin from './plugins/app/maintenance';
import metricsPlugin from './plugins/app/metrics';
import outboundPlugin from './plugins/app/outbound';
import signingKeyPlugin from './plugins/app/signing-key';
import dashboardPlugin from './plugins/external/dashboard';
import dbPlugin from './plugins/external/db';
import securityHeaders from './plugins/external/security-headers';
import { AgentRegistry, agentGateway, releaseAgentHosts } from './routes/agent/gateway';
import { healthRoutes } from './routes/health';
import { installRoutes } from './routes/install/index';
import { ensureSigningKey } from './signing/key';
import vulnerabilities from './vulnerabilities/plugin';

/** src/ when run from source, dist/ when bundled: the route files sit beside this one in both. */
const HERE = dirname(fileURLToPath(import.meta.url));

export interface AppDeps {
  config: Config;
  db: Database;
  bus: LiveBus;
  log: Logger;
}

/** Builds the whole server: external plugins, then app plugins, then routes. */
export async function buildApp({ config, db, bus, log }: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(config.tls && { https: { cert: config.tls.cert, key: config.tls.key, minVersion: 'TLSv1.2' as const } }),
    loggerInstance: log as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    frameworkErrors,
  });
  configurePasswordHashing(config.passwordHashing);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  // external
  await app.register(securityHeaders, { tls: config.tls !== null });
  await app.register(dbPlugin, { config, db, bus });
  await app.register(signingKeyPlugin);
  await app.register(auditCheckpoints);
  await app.register(fastifyCookie);
  app.decorate('agents', new AgentRegistry());
  await app.register(fastifyWebsocket, { options: { maxPayload: MAX_FRAME_BYTES }, preClose: closeSocketsGoingAway });
  await app.register(fastifySwagger, {
    openapi: { info: { title: 'Plumbline API', version: '1' } },
    transform: jsonSchemaTransform,
  });
  // app
  await app.register(inputGuard);
  await app.register(authPlugin);
  await app.register(csvPlugin);
  await app.register(metricsPlugin);
  await app.register(outboundPlugin);
  await app.register(maintenancePlugin);
  await app.register(vulnerabilities);
  // routes
  await app.register(healthRoutes);
  await app.register(agentGateway);
  // routes/api/<resource>/: the folder is the URL prefix (/api/v1/<resource>).
  await app.register(fastifyAutoload, {
    dir: join(HERE, 'routes/api'),
    options: { prefix: '/api/v1' },
    ignorePattern: /\.test\.[jt]s$/,
    // Every file of a resource folder is loaded (autoload's default loads only index.ts where there is one).
    indexPattern: /(?!)/,
  });
  await app.register(installRoutes, { signingKey: () => ensureSigningKey(app.db.prisma) });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(dashboardPlugin, { dir: config.dashboardDir, serveSourceMaps: config.serveSourceMaps });
  return app;
}

/**
 * On close, every agent and live socket gets 1001 "going away", so agents reconnect (to
 * another replica or after the restart) rather than treating the drop as an error. The
 * plugin's default closes them without a code, before any onClose hook could send one.
 */
async function closeSocketsGoingAway(this: FastifyInstance): Promise<void> {
  await releaseAgentHosts(this);
  for (const client of this.websocketServer.clients) client.close(CloseCode.goingAway, 'server shutting down');
  // Refuses upgrades from here on (503); the sockets above finish their close handshake.
  this.websocketServer.close();
}

function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    return reply.code(err.statusCode).headers(err.headers).send({ code: err.code, message: err.message });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const issue = err.validation[0];
    const where = issue?.instancePath ? issue.instancePath.replace(/^\//, '').replaceAll('/', '.') : (err.validationContext ?? 'request');
    return reply.code(400).send({ code: ErrorCode.badRequest, message: `${where}: ${issue?.message ?? 'invalid'}` });
  }
  // A route's own check gives a better message; this keeps a race it did not foresee a 409, not a 500.
  if (isUniqueViolation(err)) return reply.code(409).send({ code: ErrorCode.conflict, message: 'that already exists' });
  // Two deletes at once: the one finding the row gone answers as if it had looked a moment later.
  if (isRecordGone(err)) return reply.code(404).send({ code: ErrorCode.notFound, message: 'it no longer exists' });
  if (err.statusCode === 413) return reply.code(413).send({ code: ErrorCode.payloadTooLarge, message: 'request body too large' });
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    return reply.code(err.statusCode).send({ code: ErrorCode.badRequest, message: err.message });
  }
  req.log.error({ err }, 'request failed');
  return reply.code(500).send({ code: ErrorCode.internal, message: 'internal error' });
}
