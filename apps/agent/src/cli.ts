#!/usr/bin/env node
import { CliError, ExitCode, printer } from './printer';
import { rootOf } from './cli-common';
import { logger } from './logger';
import { createProgram, runProgram } from './program';
import { runCommand } from './run-command';
import type { ScanOptions } from './scan/run';

/**
 * A one-shot command validates each fact once: compiling zod's fast object parsers costs more
 * than it saves there. zod reads the setting when a schema is built, so this runs before the
 * modules with the fact schemas are imported. It also reads the host without the thread pool
 * (collectors/lib/root-fs.ts).
 */
async function oneShot(): Promise<void> {
  const { config } = await import('zod');
  config({ jitless: true });
  const { readHostDirectly } = await import('./collectors/lib/root-fs');
  readHostDirectly();
}

const program = createProgram();

program
  .command('facts')
  .description('collect the facts once and print them as JSON')
  .option('--root <dir>', 'read a host tree (an image, a container root) instead of the live host')
  .action(async (opts: { root?: string }) => {
    const where = await rootOf(opts.root);
    await oneShot();
    const { collectFacts } = await import('./collectors/index');
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
    await oneShot();
    const { runScan } = await import('./scan/run');
    const out = await runScan(opts, where, logger('error'), process.stdout.isTTY === true);
    printer.out(out.text);
    process.exitCode = out.exitCode;
  });

program.addCommand(runCommand());

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

// The helper process of `run` (collection/helper-process.ts), when the agent runs from source:
// the built agent starts it from its own bundle (launch.ts), with the same command line.
const argv = process.argv.slice(2);
if (argv[0] === 'collect' || argv[0] === 'check-spool') await (await import('./collection/helper-command')).runHelperCommand(argv);
else await runProgram(program);
