#!/usr/bin/env node
import { parseDuration } from '@plumbline/protocol/duration';
import { Command, CommanderError } from 'commander';
import pino from 'pino';
import { config as zodConfig } from 'zod';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { collectFacts } from './collectors/index';
import { readHostDirectly } from './collectors/lib/root-fs';
import { CliError, ExitCode, printer } from './printer';
import { leanHeap, lowerPriority, startMemoryWatchdog } from './footprint';
import type { ScanOptions } from './scan/run';
import { AGENT_VERSION } from './version';

const logger = (level = process.env.PLUMBLINE_LOG_LEVEL ?? 'info') =>
  pino({ level, redact: { paths: ['token', 'credential', '*.token', '*.credential'], censor: '[redacted]' } }, pino.destination(2));

/**
 * A one-shot command validates each fact once: compiling zod's fast object parsers costs more
 * than it saves there. The long-running `run` validates every cycle and keeps them.
 */
function oneShot(): void {
  zodConfig({ jitless: true });
  readHostDirectly();
}

/** --root DIR must be a directory; without it the agent reads the live host. */
async function rootOf(root: string | undefined): Promise<{ root: string; live: boolean }> {
  if (!root) return { root: '/', live: true };
  const abs = path.resolve(root);
  const s = await stat(abs).catch(() => null);
  if (!s?.isDirectory()) throw new CliError(`--root: ${abs} is not a directory`);
  return { root: abs, live: false };
}

const program = new Command('plumbline-agent')
  .description('Plumbline agent: collects host facts and streams them to the server')
  .version(AGENT_VERSION)
  .exitOverride()
  .configureOutput({ writeErr: (s) => printer.err(s.trimEnd()), writeOut: (s) => printer.out(s) });

program
  .command('facts')
  .description('collect the facts once and print them as JSON')
  .option('--root <dir>', 'read a host tree (an image, a container root) instead of the live host')
  .action(async (opts: { root?: string }) => {
    const where = await rootOf(opts.root);
    oneShot();
    const set = await collectFacts({ ...where, log: logger('warn') });
    // Facts at the top level (`jq .sshd_config`); `errors` is reserved and never a fact name.
    printer.out(JSON.stringify({ ...set.facts, errors: set.errors }, null, 2));
  });

program
  .command('scan')
  .description('evaluate the benchmark rules against this host (or a tree) and print the results')
  .option('--root <dir>', 'scan a host tree (an image, a container root) instead of the live host')
  .option('--profile <id>', 'profile to evaluate (cis-l1-server, cis-l2-server, edge-device); default: every rule')
  .option('--tailoring <file>', 'tailoring YAML: extends a profile, disables rules, sets parameters')
  .option('--format <format>', 'table, json, junit, xccdf (XCCDF 1.2 results) or arf (SCAP result data stream)', 'table')
  .option('--fail-under <score>', 'exit 3 when the score (with waivers) is below this percentage')
  .option('--remediation <kind>', 'print a bash script or an ansible playbook for the failures (nothing is run)')
  .option(
    '--compare-oscap <results.xml>',
    'compare with an OpenSCAP XCCDF 1.2 or ARF result (oscap xccdf eval --results/--results-arf), rule by rule via the SSG ids',
  )
  .action(async (opts: ScanOptions) => {
    const where = await rootOf(opts.root);
    // Loaded on demand: the rules stay out of the memory of a long-running `run`.
    const { runScan } = await import('./scan/run');
    oneShot();
    const out = await runScan(opts, where, logger('error'), process.stdout.isTTY === true);
    printer.out(out.text);
    process.exitCode = out.exitCode;
  });

program
  .command('run')
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
      const runner = new AgentRunner({
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

program
  .command('install')
  .description('install the agent as a systemd service (config, state directory, unit) and start it')
  .requiredOption('--server <url>', 'server URL, e.g. https://plumbline.example.com')
  .option(
    '--token-file <file>',
    'file (mode 0600) whose first line is the enrollment token (kept in the config only until the agent has enrolled)',
  )
  .option('--token-stdin', 'read the enrollment token from the first line of stdin')
  .option('--token <token>', 'enrollment token on the command line (visible in ps: prefer --token-file)')
  .option('--ca <file>', 'PEM file with the CA that signed the server certificate')
  .option('--pin <sha256>', "the server's public key as sha256/<base64>: any other key is refused")
  .option('--prefix <dir>', 'stage the files under this directory instead of / (packaging, tests); nothing is started')
  .option('--no-start', 'write the files but do not enable or start the service')
  .option('--interval <duration>', 'time between collections, e.g. 30s or 5m', '30s')
  .action(
    async (all: {
      server: string;
      token?: string;
      tokenFile?: string;
      tokenStdin?: boolean;
      ca?: string;
      pin?: string;
      prefix?: string;
      start: boolean;
      interval: string;
    }) => {
      const { readToken, ARGV_TOKEN_WARNING } = await import('./install/token');
      const { tokenFile, tokenStdin, ...opts } = all;
      const token = await readToken({ token: all.token, tokenFile, tokenStdin });
      if (token === undefined) throw new CliError('the enrollment token is needed: --token-file FILE (mode 0600) or --token-stdin');
      if (all.token !== undefined) printer.err(`plumbline-agent: warning: ${ARGV_TOKEN_WARNING}`);
      const { install } = await import('./install/install');
      const { selfCommand } = await import('./install/self');
      printer.out((await install({ ...opts, token, command: await selfCommand() })).join('\n'));
    },
  );

program
  .command('uninstall')
  .description('stop, disable and remove the service')
  .option('--purge', 'also remove the config, the credential, the spool and the cache')
  .option('--prefix <dir>', 'act on a staged install under this directory')
  .action(async (opts: { purge?: boolean; prefix?: string }) => {
    const { uninstall } = await import('./install/install');
    printer.out((await uninstall({ prefix: opts.prefix, purge: opts.purge === true })).join('\n'));
  });

program
  .command('status')
  .description('show whether the agent is installed, enrolled and connected, and what it has spooled')
  .option('--prefix <dir>', 'inspect a staged install under this directory')
  .option('--json', 'print the report as JSON')
  .action(async (opts: { prefix?: string; json?: boolean }) => {
    const { collectStatus, formatStatus } = await import('./install/status');
    const report = await collectStatus(opts.prefix);
    const { text, healthy } = formatStatus(report);
    printer.out(opts.json ? JSON.stringify(report, null, 2) : text);
    if (!healthy) process.exitCode = ExitCode.failed;
  });

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
