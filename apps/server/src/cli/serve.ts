import type { Command } from 'commander';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { serve } from '../server';

/** `plumbline serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the server and dashboard (PORT, HOST, DATABASE_URL or PLUMBLINE_DATA_DIR from the environment)')
    .option(
      '--build-agent-packages',
      'when PLUMBLINE_AGENT_DIST_DIR (default dist/agent) has no agent packages, build them in the background (what `pnpm start` does)',
    )
    .action(async (opts: { buildAgentPackages?: boolean }) => {
      const config = loadConfig();
      await serve(config, createLogger(config.logLevel), { buildAgentPackages: opts.buildAgentPackages === true });
    });
}
