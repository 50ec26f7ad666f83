import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { afterAll } from 'vitest';
import { buildApp } from '../src/app';
import { loadConfig, type Config } from '../src/config';
import { openDatabase, type Database } from '../src/db/open';
import { memoryBus, postgresBus, type LiveBus } from '../src/live/bus';

/**
 * Test databases are real: the embedded PGlite in a temp directory by default, or a
 * throwaway database on the PostgreSQL server when PLUMBLINE_TEST_DATABASE=postgres
 * (PLUMBLINE_TEST_PG_URL names the server, default postgresql://postgres@127.0.0.1:5432).
 */
export const onPostgres = process.env.PLUMBLINE_TEST_DATABASE === 'postgres';
const PG_SERVER = process.env.PLUMBLINE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';

export interface TestDatabase {
  config: Config;
  open(): Promise<Database>;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file. */
export async function freshDatabase(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'plumbline-test-'));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (onPostgres) {
    dbName = `plumbline_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${dbName}`);
    await admin.end();
    databaseUrl = `${PG_SERVER}/${dbName}`;
  }
  const config = { ...loadConfig({ PLUMBLINE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), databaseUrl, port: 0 };
  return {
    config,
    open: () => openDatabase({ ...config, log: pino({ level: 'silent' }) }),
    drop: async () => {
      if (dbName) {
        const admin = new pg.Client({ connectionString: `${PG_SERVER}/postgres` });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        await admin.end();
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Database;
  bus: LiveBus;
  /** http://127.0.0.1:<port> once listening. */
  url: string;
}

/**
 * Builds the real app on a fresh database and listens on a free port; closed after the file
 * (closing it again is harmless, so a test may close it itself). Call it at the top level of a
 * test file (hooks register at collection time).
 */
export async function build(
  overrides: Partial<Config> = {},
  log = pino({ level: process.env.PLUMBLINE_TEST_LOG ?? 'silent' }),
): Promise<TestApp> {
  return buildOn(await freshDatabase(), overrides, log);
}

/** As build, on a database the test has prepared (an older schema with data, say); dropped after the file. */
export async function buildOn(
  tdb: TestDatabase,
  overrides: Partial<Config> = {},
  log = pino({ level: process.env.PLUMBLINE_TEST_LOG ?? 'silent' }),
): Promise<TestApp> {
  const db = await tdb.open();
  const bus = db.pool ? await postgresBus(db.pool, log) : memoryBus();
  const app = await buildApp({ config: { ...tdb.config, ...overrides }, db, bus, log });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  afterAll(async () => {
    await app.close();
    await bus.close();
    await db.close();
    await tdb.drop();
  });
  return { app, db, bus, url };
}

/**
 * A JSON API call through `app.inject` with a bearer key, defaulting to `defaultKey`: the status,
 * the parsed body (null when empty) and the raw text.
 */
export function apiCaller(t: Pick<TestApp, 'app'>, defaultKey: string) {
  return async (method: InjectOptions['method'], url: string, key = defaultKey, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${key}` },
      ...(payload !== undefined && { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null, text: res.body };
  };
}

/** One host's verdict on one rule through the API, or 'absent' when it has none. */
export async function ruleStatus(call: ReturnType<typeof apiCaller>, hostId: string, ruleId: string): Promise<string> {
  const { body } = await call('GET', `/api/v1/hosts/${hostId}/results?limit=1000`);
  return body.items.find((r: { ruleId: string }) => r.ruleId === ruleId)?.status ?? 'absent';
}

/** Polls `fn` every 50 ms until it holds, giving up after 100 tries. */
export async function until(fn: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await fn()); i++) await new Promise((r) => setTimeout(r, 50));
}

/**
 * Another writer of a host (an ingest on another replica, say) on a connection of its own,
 * PostgreSQL only: it locks the host's row, starts `waiter` (which must come to wait for a
 * lock the writer holds: it fails otherwise), runs `write` with the locks still held, commits,
 * and returns what `waiter` gives. What `waiter` reads after the wait must be what `write`
 * committed. `tables` are also locked whole, so that a reader that takes no row lock comes to
 * wait at its first read of one of them, after the reads before it.
 */
export async function racingWriter<T>(
  t: Pick<TestApp, 'app'>,
  hostId: string,
  waiter: () => Promise<T>,
  write: (client: pg.Client) => Promise<unknown>,
  { tables = [] }: { tables?: string[] } = {},
): Promise<T> {
  const client = new pg.Client({ connectionString: t.app.config.databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT 1 FROM hosts WHERE id = $1 FOR UPDATE', [hostId]);
    for (const table of tables) await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    const waiting = waiter();
    // Settled later; a rejection before then is not an unhandled one.
    waiting.catch(() => undefined);
    const waits = async () =>
      (
        await client.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0].n > 0;
    await until(waits);
    if (!(await waits())) throw new Error('nothing came to wait for the host row');
    await write(client);
    await client.query('COMMIT');
    return await waiting;
  } finally {
    await client.end();
  }
}
