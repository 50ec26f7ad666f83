// Drives Prisma's wasm schema engine against in-memory PGlite databases, because the native
// engine that `prisma migrate diff` needs cannot be downloaded here (notes/toolchain.md).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory, DriverAdapterError } from '@prisma/driver-adapter-utils';
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPGlite } from 'pglite-prisma-adapter';

export const repoRoot = path.resolve(import.meta.dirname, '../../..');
export const defaultSchema = 'prisma/schema.prisma';
export const defaultMigrations = 'prisma/migrations';

// The repo compiles without the DOM lib, where TypeScript keeps the WebAssembly global's types.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type EngineModule = { SchemaEngine: typeof SchemaEngine; __wbg_set_wasm(exports: unknown): void };
let engineModule: Promise<EngineModule> | undefined;

// Node 20 cannot `import` a .wasm file, so the package entry point fails; instantiate the
// wasm-bindgen glue by hand, once per process.
function loadEngine(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve('@prisma/schema-engine-wasm'));
    const glue = (await import(pathToFileURL(path.join(dir, 'schema_engine_bg.js')).href)) as EngineModule;
    const bytes = readFileSync(path.join(dir, 'schema_engine_bg.wasm'));
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start?: () => void }).__wbindgen_start?.();
    return glue;
  })();
  return engineModule;
}

// pglite-prisma-adapter 0.7.2 neither awaits `exec` in executeScript (a failing migration would
// look applied) nor closes the shadow databases it opens, so wrap each connection.
class InMemoryPGliteFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = 'pglite-in-memory';
  private readonly opened: PGlite[] = [];

  connect(): Promise<SqlDriverAdapter> {
    return this.open();
  }
  connectToShadowDb(): Promise<SqlDriverAdapter> {
    return this.open();
  }
  async close(): Promise<void> {
    await Promise.all(this.opened.splice(0).map((db) => db.close()));
  }

  private async open(): Promise<SqlDriverAdapter> {
    const db = new PGlite();
    this.opened.push(db);
    const adapter = await new PrismaPGlite(db).connect();
    adapter.executeScript = async (script: string) => {
      try {
        await db.exec(script);
      } catch (e) {
        const pg = e as { code?: string; severity?: string; message: string; detail?: string; column?: string; hint?: string };
        if (typeof pg.code !== 'string') throw e;
        throw new DriverAdapterError({
          kind: 'postgres',
          code: pg.code,
          severity: pg.severity ?? 'ERROR',
          message: pg.message,
          detail: pg.detail,
          column: pg.column,
          hint: pg.hint,
        });
      }
    };
    return adapter;
  }
}

/** Resolves a CLI path against the repository root, whatever the current directory is. */
export function fromRoot(p: string): string {
  return path.resolve(repoRoot, p);
}

/** Repo-relative when inside the repository, for messages. */
export function display(p: string): string {
  const rel = path.relative(repoRoot, p);
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

/** `--schema` and `--migrations` (repo-root relative) shared by the migration scripts. */
export function parseCli(argv: string[]): { schema: string; migrations: string; positionals: string[] } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { schema: { type: 'string', default: defaultSchema }, migrations: { type: 'string', default: defaultMigrations } },
  });
  return { schema: fromRoot(values.schema), migrations: fromRoot(values.migrations), positionals };
}

/** Reads a migrations directory the way the Prisma CLI hands it to the engine. */
export function readMigrations(migrationsDir: string): MigrationList {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  const dirs = existsSync(migrationsDir)
    ? readdirSync(migrationsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name)
        .sort()
    : [];
  return {
    baseDir: migrationsDir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: dirs.map((name) => {
      const file = path.join(migrationsDir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file)
            ? { tag: 'ok' as const, value: readFileSync(file, 'utf8') }
            : { tag: 'error' as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

/**
 * SQL that takes a database built by replaying `migrationsDir` (on a fresh in-memory shadow
 * database) to the state `schemaPath` describes; an empty string when they already agree.
 */
export async function diffMigrationsToSchema(migrationsDir: string, schemaPath: string): Promise<string> {
  const { SchemaEngine: Engine } = await loadEngine();
  const schema = { path: path.basename(schemaPath), content: readFileSync(schemaPath, 'utf8') };
  const migrations = readMigrations(migrationsDir);
  const factory = new InMemoryPGliteFactory();
  const engine = await Engine.new({ datamodels: [[schema.path, schema.content]] }, () => {}, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    const result = await engine.diff({
      // No history at all is a legitimate starting point (the engine would insist on a lockfile).
      from: migrations.migrationDirectories.length ? { tag: 'migrations', ...migrations } : { tag: 'empty' },
      to: { tag: 'schemaDatamodel', files: [schema] },
      script: true,
      // The engine's own verdict (2 = non-empty) rather than guessing from its script, which
      // reads "-- This is an empty migration." when nothing changed.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.exitCode === 2 ? (result.stdout ?? '') : '';
  } finally {
    engine.free();
    await factory.close();
  }
}

/** First meaningful lines of an engine error, without its wasm backtrace, as one line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const message = text.split(/\n\s*0: /)[0] ?? text;
  return message.replace(/\s+/g, ' ').trim();
}
