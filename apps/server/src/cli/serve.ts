import type { Command } from 'commander';
import { loadConfig } from '../config';
import { createLogger } from '../log';
import { serve } from '../server';

/** `plumbline serve`. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the server and dashboard (PORT, HOST, DATABASE_URL or PLUMBLINE_DATA_DIR from the environment)')
    .action(async () => {
      const config = loadConfig();
      await serve(config, createLogger(config.logLevel));
    });
}
