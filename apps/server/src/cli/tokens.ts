import type { Command } from 'commander';
import { createEnrollmentToken } from '../access/credentials';
import { AppError, ErrorCode } from '../errors';
import { databaseOrServer, type WithDatabase } from './context';
import { printer } from './printer';

/** `plumbline token create`; through the server's POST /api/v1/enrollment-tokens while it holds the database. */
export function registerTokenCommands(program: Command, withDatabase: WithDatabase): void {
  const run = databaseOrServer(withDatabase);
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
      const token = await run(
        'token create',
        (db) => createEnrollmentToken(db, opts),
        async (api) => {
          const maxUses = opts.maxUses === undefined ? undefined : Number(opts.maxUses);
          // The API takes a number: refused here as the direct path refuses it.
          if (maxUses !== undefined && !Number.isInteger(maxUses))
            throw new AppError(ErrorCode.badRequest, '--max-uses must be a whole number of at least 1');
          const body = { name: opts.name, expires: opts.expires, group: opts.group, maxUses };
          return (await api.json<{ token: string }>('POST', 'api/v1/enrollment-tokens', body)).token;
        },
      );
      printer.out(token);
    });
}
