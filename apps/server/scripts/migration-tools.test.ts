// Runs the real scripts (wasm schema engine + PGlite) on a temp copy of prisma/, never on the
// repository's own schema or migrations.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './schema-engine';

const run = promisify(execFile);
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
let work: string;
let schema: string;
let migrations: string;

// Scripts run from the temp dir to show that paths do not depend on the current directory.
async function script(name: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const file = path.join(repoRoot, 'apps/server/scripts', name);
  try {
    const { stdout, stderr } = await run(tsx, [file, ...args, '--schema', schema, '--migrations', migrations], { cwd: work });
    return { code: 0, out: stdout.trim(), err: stderr.trim() };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, out: stdout.trim(), err: stderr.trim() };
  }
}

const migrationDirs = () =>
  readdirSync(migrations)
    .filter((d) => d !== 'migration_lock.toml')
    .sort();

beforeAll(() => {
  work = mkdtempSync(path.join(tmpdir(), 'plumbline-migrations-'));
  schema = path.join(work, 'schema.prisma');
  migrations = path.join(work, 'migrations');
  cpSync(path.join(repoRoot, 'prisma/schema.prisma'), schema);
  cpSync(path.join(repoRoot, 'prisma/migrations'), migrations, { recursive: true });
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('migration-check and migration-new', () => {
  it('passes on the committed schema and migrations', async () => {
    const res = await script('migration-check.ts');
    expect(res).toMatchObject({ code: 0, out: 'migrations match schema' });
  }, 120_000);

  it('refuses a bad migration name without writing anything', async () => {
    const before = migrationDirs();
    const res = await script('migration-new.ts', 'Add-Field');
    expect(res.code).toBe(2);
    expect(res.err.split('\n')).toHaveLength(1);
    expect(migrationDirs()).toEqual(before);
  }, 120_000);

  it('fails on an uncovered field, then passes once migration-new wrote its migration', async () => {
    // A new optional column on whichever model comes first keeps the test independent of the schema's contents.
    const original = readFileSync(schema, 'utf8');
    const changed = original.replace(/^model \w+ \{\n/m, (m) => `${m}  migration_probe String?\n`);
    expect(changed).not.toBe(original);
    writeFileSync(schema, changed);

    const failing = await script('migration-check.ts');
    expect(failing.code).toBe(1);
    expect(failing.err.split('\n')).toHaveLength(1);
    expect(failing.err).toMatch(/ADD COLUMN "migration_probe" TEXT/);

    const before = migrationDirs();
    const created = await script('migration-new.ts', 'add_probe');
    expect(created.code).toBe(0);
    const added = migrationDirs().filter((d) => !before.includes(d));
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\d{14}_add_probe$/);
    expect(added[0]! > before.at(-1)!).toBe(true);
    const sql = readFileSync(path.join(migrations, added[0]!, 'migration.sql'), 'utf8');
    expect(sql).toMatch(/ALTER TABLE "\w+" ADD COLUMN\s+"migration_probe" TEXT;/);

    expect(await script('migration-check.ts')).toMatchObject({ code: 0, out: 'migrations match schema' });
    expect(await script('migration-new.ts', 'nothing')).toMatchObject({ code: 0, out: 'no schema changes' });
    expect(migrationDirs()).toHaveLength(before.length + 1);
    expect(readFileSync(path.join(migrations, 'migration_lock.toml'), 'utf8')).toMatch(/^provider = "postgresql"$/m);
  }, 240_000);

  it('reports a migration that does not apply instead of passing', async () => {
    const broken = path.join(migrations, '29991231235959_broken');
    cpSync(path.join(migrations, migrationDirs()[0]!), broken, { recursive: true });
    writeFileSync(path.join(broken, 'migration.sql'), 'ALTER TABLE "no_such_table" ADD COLUMN x int;\n');
    const res = await script('migration-check.ts');
    expect(res.code).toBe(1);
    expect(res.err).toMatch(/29991231235959_broken.*failed to apply/);
    rmSync(broken, { recursive: true });
  }, 120_000);
});
