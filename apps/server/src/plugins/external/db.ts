import fp from 'fastify-plugin';
import type { Database } from '../../db/open';
import type { LiveBus } from '../../live/bus';
import { Evaluator } from '../../ingest/evaluator';
import { IngestService } from '../../ingest/service';
import { ingestBatching } from '../../ingest/limits';
import { PolicyService } from '../../policy/policy';
import type { Config } from '../../config';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    bus: LiveBus;
    ingest: IngestService;
    policy: PolicyService;
    evaluator: Evaluator;
  }
}

/** Makes the already opened database and live bus available to every plugin and route. */
export default fp<{ config: Config; db: Database; bus: LiveBus }>(
  async (app, { config, db, bus }) => {
    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('bus', bus);
    const policy = new PolicyService(db.prisma);
    const evaluator = new Evaluator(db.prisma, policy, bus);
    app.decorate('policy', policy);
    app.decorate('evaluator', evaluator);
    app.decorate('ingest', new IngestService(db.prisma, bus, app.log, evaluator, ingestBatching(db.kind, config.dbPoolSize)));
  },
  { name: 'db' },
);
