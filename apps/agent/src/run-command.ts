import { parseDuration } from '@plumbline/protocol/duration';
import { Command } from 'commander';
import path from 'node:path';
import { leanHeap, lowerPriority, startMemoryWatchdog } from './footprint';
import { CliError, ExitCode } from './printer';
import { rootOf } from './cli-common';
import { logger } from './logger';

/**
 * `plumbline-agent run`, the long-running agent. It is part of the full CLI (cli.ts) and
 * also the only command of its own bundle (daemon.ts, dist/daemon.js), which loads none
 * of the other commands' code: what this process loads, it keeps for as long as it runs.
 */
export function runCommand(): Command {
  return new Command('run')
    .description('enroll if needed, then stream facts to the server until stopped')
    .option('--server <url>', 'server URL, e.g. https://plumbline.example.com (default: from the config file)')
    .option('--config <file>', 'settings file written by `install` (read by default when --server is not given)')
    .option(
      '--token-file <file>',
      'file (mode 0600) whose first line is the enrollment token (needed only until the agent has its own credential)',
    )
    .option('--token-stdin', 'read the enrollment token from the first line of stdin')
    .option('--token <token>', 'enrollment token on the command line (visible in ps: prefer --token-file)')
    .option('--root <dir>', 'read a host tree instead of the live host')
    .option('--state-dir <dir>', 'where the credential and spool are kept', '/var/lib/plumbline')
    .option('--interval <duration>', 'time between collections, e.g. 30s or 5m', '30s')
    .action(
      async (
        all: {
          server?: string;
          config?: string;
          token?: string;
          tokenFile?: string;
          tokenStdin?: boolean;
          root?: string;
          stateDir: string;
          interval: string;
        },
        cmd: Command,
      ) => {
        leanHeap();
        const { readToken, ARGV_TOKEN_WARNING } = await import('./install/token');
        const { tokenFile, tokenStdin, ...flags } = all;
        flags.token = await readToken({ token: all.token, tokenFile, tokenStdin });
        // Flags given on the command line win over the config file.
        const { resolveRunFlags } = await import('./install/run-config');
        const opts = await resolveRunFlags(flags, (k) => cmd.getOptionValueSource(k));
        const intervalMs = parseDuration(opts.interval);
        if (!intervalMs || intervalMs < 1000) throw new CliError(`--interval: '${opts.interval}' is not a duration of at least 1s`);
        try {
          const u = new URL(opts.server);
          if (!/^(https?|wss?):$/.test(u.protocol)) throw new Error();
        } catch {
          throw new CliError(`--server: '${opts.server}' is not an http(s) URL`);
        }
        const where = await rootOf(opts.root);
        const log = logger();
        if (all.token !== undefined) log.warn(ARGV_TOKEN_WARNING);
        lowerPriority(log);
        startMemoryWatchdog(Number(process.env.PLUMBLINE_AGENT_MAX_RSS_MB ?? 200), log);
        // Loaded on demand like the rules: `scan` and `facts` never open a connection.
        const { AgentRunner } = await import('./runner');
        const { RejectedError } = await import('./transport/connection');
        const { helperCommand, helperProcessWork } = await import('./collection/helper-process');
        const runner = new AgentRunner({
          work: helperProcessWork(await helperCommand(), log),
          server: opts.server,
          token: opts.token,
          ...where,
          stateDir: path.resolve(opts.stateDir),
          intervalMs,
          log,
          tls: opts.tls,
        });
        const stop = () => runner.stop();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        await runner.run().catch((err: unknown) => {
          throw err instanceof RejectedError ? new CliError(err.message, ExitCode.failed) : err;
        });
      },
    );
}
