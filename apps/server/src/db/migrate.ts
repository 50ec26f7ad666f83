import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SqlConnection } from './sql';
import { AdvisoryLock } from './advisory-locks';

/**
 * Applies the committed migrations in prisma/migrations in name order and records each in
 * Prisma's own `_prisma_migrations` table (same DDL, sha256 checksum, same advisory lock),
 * so that `prisma migrate status/deploy` on a machine with the native engine agrees.
 */

const MIGRATIONS_TABLE_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export class MigrationError extends Error {
  constructor(
    readonly migration: string,
    message: string,
  ) {
    super(`migration ${migration}: ${message}`);
  }
}

export async function readMigrations(dir: string): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export interface MigrateResult {
  applied: string[];
}

export async function migrate(db: SqlConnection, migrations: Migration[]): Promise<MigrateResult> {
  return db.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [AdvisoryLock.prismaMigrate]);
    try {
      await session.exec(MIGRATIONS_TABLE_DDL);
      const rows = await session.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
      );
      const done = new Map(rows.filter((r) => r.finished_at && !r.rolled_back_at).map((r) => [r.migration_name, r]));
      const failed = rows.find((r) => !r.finished_at && !r.rolled_back_at);
      if (failed) {
        throw new MigrationError(failed.migration_name, 'a previous attempt failed; resolve it before starting again');
      }
      const applied: string[] = [];
      for (const m of migrations) {
        const prior = done.get(m.name);
        if (prior) {
          if (prior.checksum !== m.checksum) throw new MigrationError(m.name, 'was edited after it was applied (checksum differs)');
          continue;
        }
        const id = randomUUID();
        await session.query(
          'INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)',
          [id, m.checksum, m.name],
        );
        try {
          await session.exec(`BEGIN;\n${m.sql}\nCOMMIT;`);
        } catch (err) {
          await session.exec('ROLLBACK').catch(() => undefined);
          const message = err instanceof Error ? err.message : String(err);
          await session.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, message]);
          throw new MigrationError(m.name, message);
        }
        await session.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
        applied.push(m.name);
      }
      return { applied };
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [AdvisoryLock.prismaMigrate]);
    }
  });
}

/** Names of committed migrations not yet applied; empty when the database is current. */
export async function pendingMigrations(db: SqlConnection, migrations: Migration[]): Promise<string[]> {
  const rows = await db
    .query<{ migration_name: string }>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    )
    .catch(() => []);
  const done = new Set(rows.map((r) => r.migration_name));
  return migrations.filter((m) => !done.has(m.name)).map((m) => m.name);
}
