import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import pino from 'pino';
import type { Database } from '../db/open';
import { Evaluator } from '../ingest/evaluator';
import { IngestService } from '../ingest/service';
import { memoryBus } from '../live/bus';
import { ErrorCode } from '../errors';
import { RulesInvalidError, uploadCustomRules } from '../policy/custom-rules';
import { PolicyService } from '../policy/policy';
import { customFileVersions, hostIdsInGroups } from '../policy/repository';
import { databaseOrServer, type WithDatabase } from './context';
import { CliError, printer } from './printer';

interface FileVersion {
  name: string;
  version: number;
  sha256: string;
  ruleIds: string[];
  uploadedBy: string;
  uploadedAt: string;
  retiredAt: string | null;
}

/** The server's 400 for an invalid file, as the loader's own error: the same file:line lines either way. */
function rulesInvalid(status: number, body: unknown): void {
  const b = body as { code?: unknown; errors?: unknown };
  if (status === 400 && b.code === ErrorCode.rulesInvalid && Array.isArray(b.errors)) throw new RulesInvalidError(b.errors);
}

/** Judges the hosts of groups that enable an uploaded file again, as the server does after an API upload. */
async function reevaluate(db: Database, groups: string[]): Promise<number> {
  if (!groups.length) return 0;
  const policy = new PolicyService(db.prisma);
  const log = pino({ level: 'silent' });
  const ingest = new IngestService(db.prisma, memoryBus(), log, new Evaluator(db.prisma, policy));
  const hosts = await hostIdsInGroups(db.prisma, groups);
  await Promise.all(hosts.map((id) => ingest.reevaluate(id)));
  return hosts.length;
}

/**
 * `plumbline rules upload` and `plumbline rules list`, on the database or, while a server holds
 * the embedded database, through its API (which judges the hosts again itself).
 */
export function registerRuleCommands(program: Command, withDatabase: WithDatabase): void {
  const run = databaseOrServer(withDatabase);
  const rules = program.command('rules').description('custom rule files');

  rules
    .command('upload')
    .description('validate a rule file and store it as the next version of its name (exit 2 listing file:line problems; nothing stored)')
    .argument('<file>', 'a YAML rule file in the bundled content format')
    .option('--name <name>', 'the file name to version under (default: the file name without .yaml)')
    .action(async (file: string, opts: { name?: string }) => {
      const source = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
        throw new CliError(`${file}: ${err.code === 'ENOENT' ? 'no such file' : err.message}`);
      });
      const name = opts.name ?? path.basename(file).replace(/\.ya?ml$/i, '');
      try {
        const out = await run(
          'rules upload',
          async (db) => {
            const o = await uploadCustomRules(db.prisma, { name, source, actor: 'cli' });
            return { ...o, judged: `${await reevaluate(db, o.groups)} hosts judged again` };
          },
          async (api) => ({
            ...(await api.json<Omit<FileVersion, 'uploadedBy' | 'uploadedAt' | 'retiredAt'>>(
              'POST',
              'api/v1/rules/custom',
              { name, source },
              rulesInvalid,
            )),
            judged: 'the server judges the hosts of its groups again',
          }),
        );
        printer.err(`${out.name} version ${out.version} stored (${out.ruleIds.length} rules; ${out.judged})`);
        printer.out(`${out.name}\t${out.version}\t${out.sha256}\t${out.ruleIds.join(',')}`);
      } catch (err) {
        if (!(err instanceof RulesInvalidError)) throw err;
        // The loader names the file by its upload name; show the path the user typed.
        for (const p of err.problems) printer.err(`${file}:${p.line}: ${p.message}`);
        throw new CliError(`${file}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}; nothing stored`);
      }
    });

  rules
    .command('list')
    .description('every stored version of every custom rule file, newest first per name')
    .action(async () => {
      const rows = await run(
        'rules list',
        async (db) =>
          (await customFileVersions(db.prisma)).rows.map((r) => ({
            ...r,
            uploadedAt: r.uploadedAt.toISOString(),
            retiredAt: r.retiredAt?.toISOString() ?? null,
          })),
        async (api) => (await api.json<{ items: FileVersion[] }>('GET', 'api/v1/rules/custom?limit=1000')).items,
      );
      printer.out(['name', 'version', 'sha256', 'rules', 'uploaded by', 'uploaded at', 'state'].join('\t'));
      for (const r of rows) {
        printer.out(
          [
            r.name,
            r.version,
            r.sha256.slice(0, 12),
            r.ruleIds.join(','),
            r.uploadedBy,
            r.uploadedAt,
            r.retiredAt ? 'retired' : 'active',
          ].join('\t'),
        );
      }
    });
}
