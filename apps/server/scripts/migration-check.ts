// Usage: pnpm db:migration:check [--schema FILE] [--migrations DIR]
// CI gate: replays the committed migrations on a fresh in-memory database and asks Prisma's
// schema engine what SQL would still be needed to reach prisma/schema.prisma. Any at all means
// someone changed the schema without running `pnpm db:migration:new NAME`.
import { diffMigrationsToSchema, oneLine, parseCli } from './schema-engine';

// One line per CI failure: the statements without comments, squeezed and capped.
function summarize(sql: string, max = 5): string {
  const statements = sql
    .replace(/--.*$/gm, '')
    .split(';')
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  const shown = statements.slice(0, max).map((s) => (s.length > 100 ? `${s.slice(0, 97)}...` : s));
  const more = statements.length > max ? `; ... ${statements.length - max} more` : '';
  return `${shown.join('; ')}${more}`;
}

let cli: ReturnType<typeof parseCli>;
try {
  cli = parseCli(process.argv.slice(2));
  if (cli.positionals.length) throw new Error(`unexpected argument ${cli.positionals[0]}`);
} catch (e) {
  console.error(`${oneLine(e)} (usage: migration-check [--schema FILE] [--migrations DIR])`);
  process.exit(2);
}
let sql: string;
try {
  sql = await diffMigrationsToSchema(cli.migrations, cli.schema);
} catch (e) {
  console.error(`migration check failed: ${oneLine(e)}`);
  process.exit(1);
}
if (sql.trim()) {
  console.error(`schema has changes no migration covers (run pnpm db:migration:new NAME): ${summarize(sql)}`);
  process.exit(1);
}
console.log('migrations match schema');
