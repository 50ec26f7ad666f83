import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app';
import type { Config } from './config';
import { openDatabase, type Database } from './db/open';
import { memoryBus, postgresBus, type LiveBus } from './live/bus';

export interface RunningServer {
  app: FastifyInstance;
  db: Database;
  url: string;
  close(): Promise<void>;
}

/** Opens the database (migrating it), builds the app and listens. */
export async function startServer(config: Config, log: Logger): Promise<RunningServer> {
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    migrationsDir: config.migrationsDir,
    log,
    poolSize: config.dbPoolSize,
  });
  let bus: LiveBus | undefined;
  try {
    bus = db.pool ? await postgresBus(db.pool, log) : memoryBus();
    const app = await buildApp({ config, db, bus, log });
    const url = await app.listen({ port: config.port, host: config.host });
    log.info({ url, database: db.kind, location: db.location }, 'plumbline server ready');
    const liveBus = bus;
    return {
      app,
      db,
      url,
      close: async () => {
        await app.close();
        await liveBus.close();
        await db.close();
      },
    };
  } catch (err) {
    await bus?.close();
    await db.close();
    throw err;
  }
}

/** `plumbline serve`: runs until SIGINT/SIGTERM, then drains connections and closes the database. */
export async function serve(config: Config, log: Logger): Promise<void> {
  const server = await startServer(config, log);
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) log.error({ err }, 'closing after an uncaught error');
    else log.info({ signal }, 'shutting down');
    await server.close();
  });
}
