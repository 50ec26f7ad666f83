import { readFile } from 'node:fs/promises';
import { FeedError, parseFeed, type ParsedFeed } from '@plumbline/advisories';
import type { Command } from 'commander';
import { databaseOrServer, type WithDatabase } from './context';
import { CliError, ExitCode, printer } from './printer';
import { createLogger } from '../log';
import { VulnerabilityService, type ImportResult } from '../vulnerabilities/service';

/**
 * `plumbline vulndb import FILE...`: advisory feeds for sites that cannot reach them. Every file
 * is read and parsed before anything is stored, so one cut or malformed file (exit 2) changes
 * nothing; each file is then stored whole, in its own transaction. A running server notices
 * the new data and re-matches every host. While a server holds the embedded database, each
 * file goes to it (POST /api/v1/vulnerabilities/feeds) after all of them parsed here.
 */
export function registerVulndbCommands(program: Command, withDatabase: WithDatabase): void {
  const vulndb = program.command('vulndb').description('known-vulnerability data (advisory feeds)');
  vulndb
    .command('import')
    .description(
      'import feed files: Debian tracker JSON, Ubuntu OSV, Red Hat CSAF VEX, EPSS CSV (.gz too), CISA KEV JSON; the kind is read from the content',
    )
    .argument('<files...>', 'feed files')
    .action(async (files: string[]) => {
      const loaded: { file: string; data: Uint8Array; feed: ParsedFeed }[] = [];
      for (const file of files) {
        let data: Uint8Array;
        try {
          data = await readFile(file);
        } catch (err) {
          throw new CliError(
            `${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`,
            ExitCode.usage,
          );
        }
        let feed: ParsedFeed;
        try {
          feed = parseFeed(data);
        } catch (err) {
          if (err instanceof FeedError) throw new CliError(`${file}: ${err.code}: ${err.message}; nothing was imported`, ExitCode.usage);
          throw err;
        }
        loaded.push({ file, data, feed });
      }
      const results = await databaseOrServer(withDatabase)(
        'vulndb import',
        async (db) => {
          const service = new VulnerabilityService(db.prisma, createLogger('warn', process.stderr as never) as never);
          const out: ImportResult[] = [];
          for (const { file, data, feed } of loaded) {
            out.push(await service.importFeed(data, file, 'cli', { feed }));
          }
          return out;
        },
        async (api) => {
          const out: ImportResult[] = [];
          for (const { file, data } of loaded)
            out.push(await api.json<ImportResult>('POST', `api/v1/vulnerabilities/feeds?name=${encodeURIComponent(file)}`, data));
          return out;
        },
      );
      loaded.forEach(({ file }, i) => {
        const r = results[i]!;
        printer.out(`${file}: ${r.kind}${r.version ? ` ${r.version}` : ''}, ${r.records} records`);
      });
    });
}
