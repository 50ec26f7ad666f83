import closeWithGrace from 'close-with-grace';
import type { FastifyInstance } from 'fastify';
import { setFlagsFromString } from 'node:v8';
import type { Logger } from 'pino';
import { buildApp } from './app';
import type { Config } from './config';
import { openDatabase, type Database } from './db/open';
import { agentDistDir, buildMissingAgentPackages } from './install/agent-packages';
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
export async function serve(config: Config, log: Logger, opts: { buildAgentPackages?: boolean } = {}): Promise<void> {
  // On PostgreSQL the only WebAssembly is the ORM's query compiler, which runs once per new
  // query shape: V8's baseline compiler alone serves it at the same ingest CPU, and skipping
  // the optimizing tier keeps about 45 MB less resident (idle: 174 MB -> 129 MB). Not on the
  // embedded database, whose engine is WebAssembly on the hot path. Set here because Node
  // refuses the flag in NODE_OPTIONS; it applies to modules compiled after this line.
  if (config.databaseUrl) setFlagsFromString('--liftoff-only');
  const server = await startServer(config, log);
  if (opts.buildAgentPackages) await buildMissingAgentPackages(agentDistDir(), log);
  closeWithGrace({ delay: 10_000 }, async ({ err, signal }) => {
    if (err) log.error({ err }, 'closing after an uncaught error');
    else log.info({ signal }, 'shutting down');
    await server.close();
  });
}
