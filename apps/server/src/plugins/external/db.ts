import fp from 'fastify-plugin';
import type { Database } from '../../db/open';
import type { LiveBus } from '../../live/bus';
import { IngestService } from '../../ingest/service';
import type { Config } from '../../config';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    db: Database;
    bus: LiveBus;
    ingest: IngestService;
  }
}

/** Makes the already opened database and live bus available to every plugin and route. */
export default fp<{ config: Config; db: Database; bus: LiveBus }>(
  async (app, { config, db, bus }) => {
    app.decorate('config', config);
    app.decorate('db', db);
    app.decorate('bus', bus);
    app.decorate('ingest', new IngestService(db.prisma, bus, app.log));
  },
  { name: 'db' },
);
