#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { addUser, createApiKey, createEnrollmentToken } from './access/credentials';
import { registerAuditCommands } from './cli/audit';
import { registerApiKeyCommands, registerUserCommands } from './cli/access';
import { CliError, ExitCode, printer } from './cli/printer';
import { registerRuleCommands } from './cli/rules';
import { loadConfig } from './config';
import { openDatabase, type Database } from './db/open';
import { registerReportCommands } from './cli/reports';
import { serverKeys } from './reports/trust';
import { AppError } from './errors';
import { createLogger } from './log';
import { serve } from './server';

const VERSION = '0.1.0';

/** Opens the database for one command, and always closes it (releasing the embedded lock). */
async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ ...config, log: createLogger('warn', process.stderr as never) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the password in, e.g. `printf %s "$PW" | plumbline user add ...`');
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, '');
}

const program = new Command('plumbline')
  .description('Plumbline server: fleet hardening compliance')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => printer.err(s.trimEnd()), writeOut: (s) => printer.out(s.trimEnd()) });

program
  .command('serve')
  .description('start the server and dashboard (PORT, HOST, DATABASE_URL or PLUMBLINE_DATA_DIR from the environment)')
  .action(async () => {
    const config = loadConfig();
    await serve(config, createLogger(config.logLevel));
  });

const user = program.command('user').description('manage dashboard users');
user
  .command('add')
  .description('add a user; the password is read from standard input')
  .requiredOption('--email <email>', 'the sign-in email')
  .requiredOption('--role <role>', 'admin, operator or auditor')
  .requiredOption('--password-stdin', 'read the password from standard input')
  .action(async (opts: { email: string; role: string }) => {
    const password = await readStdin();
    const id = await withDatabase((db) => addUser(db, opts.email, opts.role, password));
    printer.err(`user ${opts.email} added`);
    printer.out(id);
  });
registerUserCommands(user, withDatabase, readStdin);

const apikey = program.command('apikey').description('manage API keys');
apikey
  .command('create')
  .description('create an API key and print it (shown once)')
  .requiredOption('--name <name>', 'what the key is for')
  .requiredOption('--role <role>', 'admin, operator or auditor')
  .option('--expires <duration>', 'lifetime, e.g. 30d or 12h (default: never expires)')
  .option('--group <group>', "limit the key to this group's hosts")
  .action(async (opts: { name: string; role: string; expires?: string; group?: string }) => {
    printer.out(await withDatabase((db) => createApiKey(db, opts.name, opts.role, 'cli', { expires: opts.expires, group: opts.group })));
  });
registerApiKeyCommands(apikey, withDatabase);

program
  .command('token')
  .description('manage agent enrollment tokens')
  .command('create')
  .description('create an enrollment token and print it (shown once)')
  .requiredOption('--name <name>', 'what the token is for')
  .option('--expires <duration>', 'lifetime, e.g. 24h or 7d', '7d')
  .option('--group <group>', 'group that enrolled hosts join')
  .option('--max-uses <n>', 'how many agents may enroll with it')
  .action(async (opts: { name: string; expires: string; group?: string; maxUses?: string }) => {
    printer.out(await withDatabase((db) => createEnrollmentToken(db, opts)));
  });

registerAuditCommands(program, withDatabase, () => loadConfig().dataDir);
registerReportCommands(program, withDatabase, () => serverKeys(loadConfig(), withDatabase)());
registerRuleCommands(program, withDatabase);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else if (err instanceof CliError) {
    printer.err(`plumbline: ${err.message}`);
    process.exitCode = err.exitCode;
  } else if (err instanceof AppError) {
    printer.err(`plumbline: ${err.code}: ${err.message}`);
    process.exitCode = err.statusCode >= 500 ? ExitCode.runtime : ExitCode.usage;
  } else {
    printer.err(`plumbline: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = ExitCode.runtime;
  }
}
