import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { bundledContent } from '@plumbline/benchmarks/content';
import type { Command } from 'commander';
import { CliError, ExitCode, printer } from '../cli/printer';
import type { Database } from '../db/open';
import { assertRetained } from '../history/retention';
import { prepareReport, recordExport, signatureFile, writeReport } from './export';
import { REPORT_FORMATS, ReportQuery } from './options';
import { fingerprintOf, SIGNATURE_ALGORITHM, ensureSigningKey, verifyDigest, type SignatureFile } from './signing';

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

interface ReportArgs {
  format: string;
  scope: string;
  profile?: string;
  framework?: string;
  asOf?: string;
  waivers: boolean;
  out?: string;
}

/** `plumbline report` and `plumbline verify`. */
export function registerReportCommands(program: Command, withDatabase: WithDatabase): void {
  program
    .command('report')
    .description('export a signed compliance report; with --out FILE, its detached signature goes to FILE.sig')
    .requiredOption('--format <format>', REPORT_FORMATS.join(', '))
    .option('--scope <scope>', 'fleet, group:<name>, tag:<tag> or host:<id>', 'fleet')
    .option('--profile <id>', "only this profile's rules (default: each host's own)")
    .option('--framework <name>', 'framework view: cis, nist, iso27001 or jcstar')
    .option('--as-of <date>', 'the report as of this ISO date or date-time, from the stored history')
    .option('--no-waivers', 'ignore waivers (scores without them only)')
    .option('--out <file>', 'write the report here (default: standard output, signature on standard error)')
    .action((opts: ReportArgs) => report(opts, withDatabase));

  program
    .command('verify')
    .description('check a report against its signature (exit 0 intact, 1 altered, 2 bad arguments or files)')
    .argument('<report>', 'the report file')
    .option('--signature <file>', 'the signature file (default: REPORT.sig)')
    .option('--public-key <file>', "the server's public key (PEM, or the JSON of /api/v1/reports/public-key); default: the one in the signature file")
    .action((file: string, opts: { signature?: string; publicKey?: string }) => verifyReport(file, opts));
}

async function report(a: ReportArgs, withDatabase: WithDatabase): Promise<void> {
  const parsed = ReportQuery.safeParse({ format: a.format, scope: a.scope, profile: a.profile, framework: a.framework, asOf: a.asOf, waivers: String(a.waivers) });
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const flag = { asOf: '--as-of' }[String(i?.path[0])] ?? `--${String(i?.path[0] ?? 'format')}`;
    throw new CliError(`${flag}: ${i?.message ?? 'invalid'}`);
  }
  const { signature: _mode, ...options } = parsed.data;
  await withDatabase(async (db) => {
    const key = await ensureSigningKey(db.prisma);
    const job = prepareReport(db.prisma, bundledContent(), key, options);
    await assertRetained(db.prisma, options.asOf);
    if (!a.out) {
      const signed = await writeReport(job, key, process.stdout, { end: false });
      await recordExport(db.prisma, 'cli', job, signed);
      printer.err(JSON.stringify(signatureFile(signed, key)));
      return;
    }
    // Written beside the target and renamed: a half-written report never sits under its name.
    const partial = `${a.out}.partial-${process.pid}`;
    try {
      const signed = await writeReport(job, key, createWriteStream(partial));
      await rename(partial, a.out);
      await writeFile(`${a.out}.sig`, `${JSON.stringify(signatureFile(signed, key), null, 2)}\n`);
      await recordExport(db.prisma, 'cli', job, signed);
      printer.err(`wrote ${a.out} (${signed.bytes} bytes) and its signature ${a.out}.sig (key ${key.keyId})`);
      printer.out(a.out);
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  });
}

async function readOrFail(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function parseSignature(text: string, file: string): SignatureFile {
  try {
    const s = JSON.parse(text) as SignatureFile;
    if (s.format === 'plumbline-report-signature' && typeof s.signature === 'string' && typeof s.keyId === 'string') return s;
  } catch {
    // fall through to the one error below
  }
  throw new CliError(`${file} is not a Plumbline report signature file`);
}

/** A PEM public key, or the JSON the API serves at /api/v1/reports/public-key. */
function parsePublicKey(text: string, file: string): string {
  const t = text.trim();
  let pem = t;
  if (t.startsWith('{')) {
    try {
      pem = String((JSON.parse(t) as { publicKey?: unknown }).publicKey ?? '');
    } catch {
      pem = '';
    }
  }
  try {
    fingerprintOf(pem);
    return pem;
  } catch {
    throw new CliError(`${file} holds no public key (PEM, or the JSON of /api/v1/reports/public-key)`);
  }
}

async function digestsOf(file: string): Promise<{ sha512: Buffer; sha256: string; bytes: number }> {
  const sha512 = createHash('sha512');
  const sha256 = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    sha512.update(chunk as Buffer);
    sha256.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha512: sha512.digest(), sha256: sha256.digest('hex'), bytes };
}

export async function verifyReport(file: string, opts: { signature?: string; publicKey?: string }): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CliError(`no report file ${file}`);
  const sigFile = opts.signature ?? `${file}.sig`;
  const sig = parseSignature(await readOrFail(sigFile, 'signature file'), sigFile);
  if (sig.algorithm !== SIGNATURE_ALGORITHM) throw new CliError(`${sigFile}: unknown signature algorithm '${sig.algorithm}' (this version knows ${SIGNATURE_ALGORITHM})`);
  const pinned = opts.publicKey !== undefined;
  const publicKey = pinned ? parsePublicKey(await readOrFail(opts.publicKey as string, 'public key'), opts.publicKey as string) : sig.publicKey;
  if (!pinned && typeof publicKey !== 'string') throw new CliError(`${sigFile} carries no public key: pass --public-key`);
  const keyId = fingerprintOf(publicKey).slice(0, 32);
  if (pinned && keyId !== sig.keyId) throw new CliError(`signature INVALID: ${file} was signed by key ${sig.keyId}, not by the given key ${keyId}`, ExitCode.failed);
  const d = await digestsOf(file);
  if (!verifyDigest(publicKey, d.sha512, sig.signature)) {
    const why = d.bytes !== sig.bytes ? `its size is ${d.bytes} bytes, signed ${sig.bytes}` : d.sha256 !== sig.sha256 ? 'its content changed since it was signed' : 'the signature does not match';
    throw new CliError(`signature INVALID: ${file}: ${why}`, ExitCode.failed);
  }
  printer.out(`signature valid: ${file} (${d.bytes} bytes, sha256 ${d.sha256}) signed ${sig.signedAt} by key ${keyId}${pinned ? '' : ' (key taken from the signature file; pass --public-key to pin the server key)'}`);
}
