import { Command, CommanderError } from 'commander';
import { CliError, ExitCode, printer } from './printer';
import { AGENT_VERSION } from './version';

/** The command line every entry of the agent shares (the full CLI in cli.ts, `run` alone in daemon.ts). */

export function createProgram(): Command {
  return new Command('plumbline-agent')
    .description('Plumbline agent: collects host facts and streams them to the server')
    .version(AGENT_VERSION)
    .exitOverride()
    .configureOutput({ writeErr: (s) => printer.err(s.trimEnd()), writeOut: (s) => printer.out(s) });
}

/** Runs the command line; a bad one exits non-zero with a one-line reason. */
export async function runProgram(program: Command): Promise<void> {
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
    } else if (err instanceof CliError) {
      printer.err(`plumbline-agent: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      printer.err(`plumbline-agent: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = ExitCode.failed;
    }
  }
}
