import type { Command } from 'commander';
import { CliError, ExitCode, printer } from './printer';
import { findSigningKey, publicInfo, type PublicKeyInfo } from '../signing/key';
import { checkpointFile, readCheckpoints, type ReadCheckpoints } from '../audit/checkpoint';
import { entriesText, type VerifyResult } from '../audit/trail';
import { verifyAudit } from '../audit/repository';
import { databaseOrServer, type DatabaseOrServer, type WithDatabase } from './context';

/** `plumbline audit verify`: the chain, then the chain against every signed checkpoint the server wrote. */
export function registerAuditCommands(program: Command, withDatabase: WithDatabase, dataDir: () => string): void {
  const run = databaseOrServer(withDatabase);
  program
    .command('audit')
    .description('the audit trail')
    .command('verify')
    .description(
      'check that no audit entry was altered or removed, against the signed checkpoints too (exit 1 naming the first broken entry)',
    )
    .option('--checkpoints <file>', "the signed checkpoint file (default: the server's, <data dir>/audit-checkpoints-<key id>.jsonl)")
    .action((opts: { checkpoints?: string }) => auditVerify(run, dataDir, opts));
}

/** The checkpoint file to check the chain against, read with the server's key (signatures checked here). */
async function checkpointsOf(key: PublicKeyInfo | null, dataDir: () => string, opts: { checkpoints?: string }) {
  if (opts.checkpoints && !key)
    throw new CliError('this database has no signing key, so no checkpoint can be checked (no server has run on it)');
  const file = opts.checkpoints ?? (key ? checkpointFile(dataDir(), key.keyId) : null);
  const read: ReadCheckpoints | null = key && file ? await readCheckpoints(file, key) : null;
  if (opts.checkpoints && !read) throw new CliError(`no checkpoint file ${opts.checkpoints}`);
  return { file, read };
}

/** The chain in the database, or (while the server holds it) as the server walks it, against the checkpoints read here. */
export async function auditVerify(run: DatabaseOrServer, dataDir: () => string, opts: { checkpoints?: string }): Promise<void> {
  const { file, read, result } = await run(
    'audit verify',
    async (db) => {
      const key = await findSigningKey(db.prisma);
      const c = await checkpointsOf(key && publicInfo(key), dataDir, opts);
      return { ...c, result: await verifyAudit(db.prisma, c.read?.marks ?? []) };
    },
    async (api) => {
      const c = await checkpointsOf(await api.json<PublicKeyInfo>('GET', 'api/v1/reports/public-key'), dataDir, opts);
      const checkpoints = (c.read?.marks ?? []).map((m) => ({ ...m, seq: m.seq.toString() }));
      return { ...c, result: await api.json<VerifyResult>('POST', 'api/v1/audit/verify', { checkpoints }) };
    },
  );
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
