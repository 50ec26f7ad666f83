import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/open';
import { migrate, readMigrations } from '../src/db/migrate';
import { freshDatabase, onPostgres } from './helper';

const tdb = await freshDatabase();
const db = await tdb.open();

describe('migrations', () => {
  it('are applied on open and recorded as Prisma records them', async () => {
    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(db.migrations.map((m) => m.name));
    for (const [i, r] of rows.entries()) {
      expect(r.checksum).toBe(db.migrations[i]!.checksum);
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
    expect(await db.pending()).toEqual([]);
  });

  it('apply nothing the second time', async () => {
    expect(await migrate(db.sql, db.migrations)).toEqual({ applied: [] });
  });

  it('refuse a migration edited after it was applied', async () => {
    const edited = db.migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'f'.repeat(64) } : m));
    await expect(migrate(db.sql, edited)).rejects.toThrow(/edited after it was applied/);
  });

  it('record a failing migration and leave the schema untouched', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-mig-'));
    const name = '29990101000000_broken';
    await import('node:fs/promises').then((fs) => fs.mkdir(path.join(dir, name)));
    await writeFile(path.join(dir, name, 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT no_such_function();\n');
    const broken = [...db.migrations, ...(await readMigrations(dir))];
    await expect(migrate(db.sql, broken)).rejects.toThrow(/29990101000000_broken/);
    const tables = await db.sql.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'");
    expect(tables).toEqual([]);
    // A failed attempt blocks further migrations until someone resolves it.
    await expect(migrate(db.sql, db.migrations)).rejects.toThrow(/previous attempt failed/);
    await db.sql.query('DELETE FROM "_prisma_migrations" WHERE migration_name = $1', [name]);
    await rm(dir, { recursive: true, force: true });
  });
});

describe.skipIf(onPostgres)('the embedded database', () => {
  it('cannot be opened by a second process while in use, and says so', async () => {
    await expect(openDatabase({ ...tdb.config, log: pino({ level: 'silent' }) })).rejects.toThrow(/in use by process/);
  });
});

describe.skipIf(!onPostgres)('PostgreSQL sessions', () => {
  it('compile no statement to machine code, on every pooled connection and inside transactions', async () => {
    // As many at once as the pool holds, so that each of its connections answers.
    const settings = await Promise.all(
      Array.from({ length: 10 }, () =>
        db.prisma.$transaction(async (tx) => {
          const [row] = await tx.$queryRawUnsafe<Array<{ jit: string }>>('SHOW jit');
          await tx.$executeRawUnsafe('SELECT pg_sleep(0.05)');
          return row!.jit;
        }),
      ),
    );
    expect(settings).toEqual(Array(10).fill('off'));
  });

  it('keep the session options a database URL names, and still compile nothing', async () => {
    const url = `${tdb.config.databaseUrl}?options=${encodeURIComponent('-c statement_timeout=12345')}`;
    const other = await openDatabase({ ...tdb.config, databaseUrl: url, log: pino({ level: 'silent' }) });
    try {
      const rows = await other.sql.query<{ jit: string; timeout: string }>(
        "SELECT current_setting('jit') AS jit, current_setting('statement_timeout') AS timeout",
      );
      expect(rows).toEqual([{ jit: 'off', timeout: '12345ms' }]);
    } finally {
      await other.close();
    }
  });
});

describe('a transaction', () => {
  it('waits its turn while every connection is held for longer than 2 s, and then runs', async () => {
    // Every connection of the pool (10 on PostgreSQL, the one of the embedded database) held for 3 s.
    const connections = onPostgres ? 10 : 1;
    let started = 0;
    const held = Array.from({ length: connections }, () =>
      db.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SELECT 1');
        started += 1;
        await new Promise((resolve) => setTimeout(resolve, 3000));
      }),
    );
    while (started < connections) await new Promise((resolve) => setTimeout(resolve, 20));
    const waited = db.prisma.$transaction(async (tx) => tx.$queryRawUnsafe<Array<{ ok: number }>>('SELECT 1 AS ok'));
    await expect(waited).resolves.toEqual([{ ok: 1 }]);
    await Promise.all(held);
  }, 20_000);
});

describe('closing', () => {
  it('releases the database for the next opener', async () => {
    await db.close();
    const again = await tdb.open();
    expect(await again.pending()).toEqual([]);
    await again.close();
    await tdb.drop();
  });
});
