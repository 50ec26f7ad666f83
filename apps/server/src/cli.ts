#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerApiKeyCommands, registerUserCommands } from './cli/access';
import { registerAuditCommands } from './cli/audit';
import { isDatabaseLocked, lockedOut, readStdin, withDatabase } from './cli/context';
import { CliError, ExitCode, printer } from './cli/printer';
import { registerReportCommands } from './cli/reports';
import { registerRuleCommands } from './cli/rules';
import { registerServeCommand } from './cli/serve';
import { registerTokenCommands } from './cli/tokens';
import { registerVulndbCommands } from './cli/vulndb';
import { loadConfig } from './config';
import { AppError } from './errors';
import { serverKeys } from './reports/trust';

/** The `plumbline` command: one file per command group under cli/; this file parses and maps failures to exit codes. */
const VERSION = '0.1.0';

const program = new Command('plumbline')
  .description('Plumbline server: fleet hardening compliance')
  .version(VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => printer.err(s.trimEnd()), writeOut: (s) => printer.out(s.trimEnd()) });

/** The command being run, e.g. `user passwd`, for the line of a command the running server keeps out. */
let running = 'this command';
program.hook('preAction', (_program, action) => {
  const names: string[] = [];
  for (let c: Command | null = action; c?.parent; c = c.parent) names.unshift(c.name());
  running = names.join(' ');
});

registerServeCommand(program);
registerUserCommands(program.command('user').description('manage dashboard users'), withDatabase, readStdin);
registerApiKeyCommands(program.command('apikey').description('manage API keys'), withDatabase);
registerTokenCommands(program, withDatabase);
registerAuditCommands(program, withDatabase, () => loadConfig().dataDir);
registerReportCommands(
  program,
  withDatabase,
  () => serverKeys(loadConfig(), withDatabase)(),
  () => loadConfig().dataDir,
);
registerRuleCommands(program, withDatabase);
registerVulndbCommands(program, withDatabase);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
  } else if (isDatabaseLocked(err) && running !== 'serve') {
    // A command with no way through the server (those with one take it, see cli/context.ts).
    printer.err(`plumbline: ${lockedOut(running, err).message}`);
    process.exitCode = ExitCode.usage;
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
