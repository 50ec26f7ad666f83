import type { Command } from 'commander';
import { CliError, ExitCode, printer } from './printer';
import type { Database } from '../db/open';
import { findSigningKey, publicInfo } from '../signing/key';
import { checkpointFile, readCheckpoints, type ReadCheckpoints } from '../audit/checkpoint';
import { entriesText, verifyAudit } from '../audit/trail';

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/** `plumbline audit verify`: the chain, then the chain against every signed checkpoint the server wrote. */
export function registerAuditCommands(program: Command, withDatabase: WithDatabase, dataDir: () => string): void {
  program
    .command('audit')
    .description('the audit trail')
    .command('verify')
    .description(
      'check that no audit entry was altered or removed, against the signed checkpoints too (exit 1 naming the first broken entry)',
    )
    .option('--checkpoints <file>', "the signed checkpoint file (default: the server's, <data dir>/audit-checkpoints-<key id>.jsonl)")
    .action((opts: { checkpoints?: string }) => auditVerify(withDatabase, dataDir, opts));
}

export async function auditVerify(withDatabase: WithDatabase, dataDir: () => string, opts: { checkpoints?: string }): Promise<void> {
  const { file, read, result } = await withDatabase(async (db) => {
    const key = await findSigningKey(db.prisma);
    if (opts.checkpoints && !key)
      throw new CliError('this database has no signing key, so no checkpoint can be checked (no server has run on it)');
    const path = opts.checkpoints ?? (key ? checkpointFile(dataDir(), key.keyId) : null);
    const checkpoints: ReadCheckpoints | null = key && path ? await readCheckpoints(path, publicInfo(key)) : null;
    if (opts.checkpoints && !checkpoints) throw new CliError(`no checkpoint file ${opts.checkpoints}`);
    return { file: path, read: checkpoints, result: await verifyAudit(db.prisma, checkpoints?.marks ?? []) };
  });
  for (const p of read?.problems ?? []) printer.err(`plumbline: audit checkpoint ${file}:${p.line} rejected: ${p.reason}`);
  if (!result.ok)
    throw new CliError(
      `audit chain broken at entry #${result.seq}: ${result.reason} (${entriesText(result.entries)} before it verified)`,
      ExitCode.failed,
    );
  if (!read) {
    printer.out(`audit chain intact: ${entriesText(result.entries)} (chain only)`);
    printer.err(
      `plumbline: no audit checkpoint file${file ? ` (${file})` : ''}: the chain was checked alone, so removing the newest entries cannot be detected`,
    );
    return;
  }
  if (read.problems.length)
    throw new CliError(
      `${read.problems.length} audit checkpoint(s) in ${file} do not verify with the server key: the checkpoint file was altered`,
      ExitCode.failed,
    );
  printer.out(
    `audit chain intact: ${entriesText(result.entries)}, head #${result.head ?? '-'}, matching ${read.marks.length} signed checkpoint(s) in ${file}`,
  );
}
