import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { Logger } from 'pino';
import { PrismaClient } from '../generated/prisma/client';
import { AppError, ErrorCode } from '../errors';
import { lockDataDir } from './data-dir-lock';
import { migrate, pendingMigrations, readMigrations, type Migration } from './migrate';
import { pgConnection, pgliteConnection, type SqlConnection } from './sql';

/**
 * The one module that opens the database: the embedded PGlite under a data directory by
 * default, or a PostgreSQL server when a URL is given. Pending migrations are applied
 * before anything else can use it.
 */
/** The database client, as services that only hand it to repositories name it (they never call it themselves). */
export type DbClient = PrismaClient;

export interface Database {
  kind: 'pglite' | 'postgres';
  /** Where the data lives, for logs (never includes a password). */
  location: string;
  prisma: PrismaClient;
  sql: SqlConnection;
  /** The PostgreSQL pool, when on a server (LISTEN/NOTIFY needs its own clients). */
  pool: pg.Pool | null;
  migrations: Migration[];
  /** Committed migrations not applied (should be none after open). */
  pending(): Promise<string[]>;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string | undefined;
  dataDir: string;
  migrationsDir: string;
  log: Logger;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
}

/** How long a transaction waits for a connection of the pool before it fails (P2028). */
const TRANSACTION_MAX_WAIT_MS = 10_000;

export async function openDatabase(opts: OpenOptions): Promise<Database> {
  const migrations = await readMigrations(opts.migrationsDir);
  const db = opts.databaseUrl ? await openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : await openPglite(opts.dataDir);
  try {
    const { applied } = await migrate(db.sql, migrations);
    if (applied.length) opts.log.info({ applied, database: db.kind }, 'migrations applied');
  } catch (err) {
    await db.closeRaw();
    throw new AppError(ErrorCode.dbMigration, err instanceof Error ? err.message : String(err));
  }
  // A transaction waits up to 10 s for a pooled connection, not Prisma's 2 s: in a reconnect
  // storm every connection is busy for seconds, and background passes (report schedules, audit
  // checkpoints) failed to start rather than wait their turn. Ingest sets its own, longer wait.
  const prisma = new PrismaClient({ adapter: db.adapter, transactionOptions: { maxWait: TRANSACTION_MAX_WAIT_MS } });
  return {
    kind: db.kind,
    location: db.location,
    prisma,
    sql: db.sql,
    pool: db.pool,
    migrations,
    pending: () => pendingMigrations(db.sql, migrations),
    close: async () => {
      await prisma.$disconnect();
      await db.closeRaw();
    },
  };
}

interface RawDb {
  kind: Database['kind'];
  location: string;
  sql: SqlConnection;
  pool: pg.Pool | null;
  adapter: NonNullable<ConstructorParameters<typeof PrismaClient>[0]['adapter']>;
  closeRaw(): Promise<void>;
}

async function openPglite(dataDir: string): Promise<RawDb> {
  const unlock = await lockDataDir(dataDir);
  let client: PGlite;
  try {
    client = new PGlite(`${dataDir}/pgdata`);
    await client.waitReady;
  } catch (err) {
    await unlock();
    throw new AppError(ErrorCode.dbUnavailable, `cannot open the embedded database in ${dataDir}: ${String(err)}`);
  }
  return {
    kind: 'pglite',
    location: dataDir,
    sql: pgliteConnection(client),
    pool: null,
    adapter: new PrismaPGlite(client),
    closeRaw: async () => {
      await client.close();
      await unlock();
    },
  };
}

async function openPostgres(url: string, poolSize: number): Promise<RawDb> {
  const pool = new pg.Pool({
    connectionString: withSessionOptions(url, SESSION_OPTIONS),
    options: SESSION_OPTIONS,
    max: poolSize,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const redacted = redactUrl(url);
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw new AppError(
      ErrorCode.dbUnavailable,
      `cannot reach PostgreSQL at ${redacted}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return {
    kind: 'postgres',
    location: redacted,
    sql: pgConnection(pool),
    pool,
    adapter: new PrismaPg(pool),
    closeRaw: () => pool.end(),
  };
}

/**
 * Settings of every session the server opens, sent as the connection's startup options. No JIT
 * compilation: the planner compiles any statement whose estimated cost passes jit_above_cost,
 * and an ingest's locked read of a batch of hosts passes it as the tables grow. Compiling took
 * 44 of its 60 ms at 400 hosts, and the read averaged 386 ms a batch at 10,000 against 6.7 ms
 * without. The server's statements read rows by key; none runs long enough to gain from it.
 */
const SESSION_OPTIONS = '-c jit=off';

/**
 * The URL with `extra` added to the session options it names, if it names any: the driver
 * takes a URL's `options` over the pool's own, so those would otherwise be lost.
 */
function withSessionOptions(url: string, extra: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  const own = parsed.searchParams.get('options');
  if (!own) return url;
  parsed.searchParams.set('options', `${own} ${extra}`);
  return parsed.toString();
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
