import type { Command } from 'commander';
import { createEnrollmentToken } from '../access/credentials';
import type { WithDatabase } from './context';
import { printer } from './printer';

/** `plumbline token create`. */
export function registerTokenCommands(program: Command, withDatabase: WithDatabase): void {
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
}
