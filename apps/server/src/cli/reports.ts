import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { bundledContent } from '@plumbline/benchmarks/content';
import type { Command } from 'commander';
import { CliError, ExitCode, printer } from './printer';
import { databaseOrServer, type WithDatabase } from './context';
import { assertRetained } from '../history/retention';
import { prepareReport, recordExport, signatureFile, writeReport } from '../reports/export';
import { REPORT_FORMATS, ReportQuery } from '../reports/options';
import {
  ensureSigningKey,
  fingerprintOf,
  keyInfoOf,
  normalizeFingerprint,
  publicKeyPemOf,
  SIGNATURE_ALGORITHM,
  type SignatureFile,
} from '../signing/key';
import { NoTrustedKey, type TrustedKeys } from '../reports/trust';
import { looksLikeZip, readPack, RefusedEntry, UnusablePack } from '../reports/pack/read';
import { manifestSignature, verifyPack } from '../reports/pack/verify';
import {
  checkReport,
  pinnedKey,
  signatureFromFile,
  signatureFromHeaders,
  signatureFromHeaderValue,
  UnreadableSignature,
  type DetachedSignature,
} from '../reports/verify';

interface ReportArgs {
  format: string;
  scope: string;
  profile?: string;
  framework?: string;
  asOf?: string;
  waivers: boolean;
  appendix: boolean;
  formats?: string;
  since?: string;
  section?: string;
  out?: string;
}

/** `plumbline report` and `plumbline verify`. */
export function registerReportCommands(
  program: Command,
  withDatabase: WithDatabase,
  serverKeys: () => Promise<TrustedKeys>,
  dataDir?: () => string,
): void {
  program
    .command('report')
    .description('export a signed compliance report; with --out FILE, its detached signature goes to FILE.sig')
    .requiredOption('--format <format>', REPORT_FORMATS.join(', '))
    .option('--scope <scope>', 'fleet, group:<name>, tag:<tag> or host:<id>', 'fleet')
    .option('--profile <id>', "only this profile's rules (default: each host's own)")
    .option('--framework <name>', 'framework view: cis, nist, iso27001 or jcstar')
    .option('--as-of <date>', 'the report as of this ISO date or date-time, from the stored history')
    .option('--no-waivers', 'ignore waivers (scores without them only)')
    .option('--no-appendix', 'PDF: leave out the appendix of every verdict by rule and host')
    .option('--formats <list>', 'evidence pack: the report formats it holds, comma-separated (default pdf,json,csv,xccdf)')
    .option(
      '--since <date>',
      "evidence pack: the start of the period whose audit trail and waivers it carries (default 90 days before the report's time)",
    )
    .option(
      '--section <section>',
      "csv: compliance (the verdicts, default) or vulnerabilities (the known-vulnerability findings at the report's time)",
    )
    .option('--out <file>', 'write the report here (default: standard output, signature on standard error)')
    .action((opts: ReportArgs) => report(opts, withDatabase, dataDir?.()));

  program
    .command('verify')
    .description(
      "check a report against its signature and the server's key, or an evidence pack (a zip) in full (exit 0 valid, 1 altered or signed by another key, 2 bad arguments or files)",
    )
    .argument('<report>', 'the report file, or an evidence pack (.zip)')
    .option('--signature <file>', 'the signature file (default: REPORT.sig)')
    .option('--headers <file>', 'the response headers of GET /api/v1/reports, as `curl -D FILE` saves them, instead of a signature file')
    .option('--signature-header <value>', 'the value of the X-Plumbline-Signature response header, instead of a signature file')
    .option('--key-fingerprint <hex>', 'trust only the key with this SHA-256 fingerprint (shown on the dashboard and in every report)')
    .option(
      '--public-key <file>',
      "trust only this key (PEM, or the JSON of /api/v1/reports/public-key); default: the server's own key, from its database or data directory",
    )
    .action((file: string, opts: VerifyArgs) => verifyReport(file, opts, serverKeys));
}

async function report(a: ReportArgs, withDatabase: WithDatabase, dataDir: string | undefined): Promise<void> {
  const given = {
    format: a.format,
    scope: a.scope,
    profile: a.profile,
    framework: a.framework,
    asOf: a.asOf,
    waivers: String(a.waivers),
    appendix: String(a.appendix),
    formats: a.formats,
    since: a.since,
    section: a.section,
  };
  const parsed = ReportQuery.safeParse(given);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const flag = { asOf: '--as-of' }[String(i?.path[0])] ?? `--${String(i?.path[0] ?? 'format')}`;
    throw new CliError(`${flag}: ${i?.message ?? 'invalid'}`);
  }
  const { signature: _mode, ...options } = parsed.data;
  const query = new URLSearchParams(Object.entries(given).filter((e): e is [string, string] => e[1] !== undefined));
  await databaseOrServer(withDatabase)(
    'report',
    async (db) => {
      const key = await ensureSigningKey(db.prisma);
      const job = prepareReport(db.prisma, bundledContent(), key, options, new Date(), { dataDir });
      await assertRetained(db.prisma, options.asOf);
      await deliver(a.out, async (dest, end) => {
        const signed = await writeReport(job, key, dest, { end });
        return { file: signatureFile(signed, key), recorded: () => recordExport(db.prisma, 'cli', job, signed) };
      });
    },
    // The server generates, signs and records the export (as the API key's); the .sig is made from its headers.
    async (api) => {
      const { headers, body } = await api.download(`api/v1/reports?${query}`);
      const file = signatureOfResponse(headers);
      await deliver(a.out, async (dest, end) => {
        const got = await pipeThrough(body, dest, end);
        if (got.bytes !== file.bytes || got.sha256 !== file.sha256)
          throw new CliError(
            `the report from ${api.baseUrl} does not match its signature headers (${got.bytes} bytes received, ${file.bytes} signed)`,
            ExitCode.runtime,
          );
        return { file, recorded: async () => undefined };
      });
    },
  );
}

/**
 * Writes the report to standard output (signature on standard error) or to `out` with its
 * signature in `out.sig`; `produce` writes the bytes and says how to record the export.
 */
async function deliver(
  out: string | undefined,
  produce: (dest: Writable, end: boolean) => Promise<{ file: SignatureFile; recorded: () => Promise<void> }>,
): Promise<void> {
  if (!out) {
    const p = await produce(process.stdout, false);
    await p.recorded();
    printer.err(JSON.stringify(p.file));
    return;
  }
  // Written beside the target and renamed: a half-written report never sits under its name.
  const partial = `${out}.partial-${process.pid}`;
  try {
    const p = await produce(createWriteStream(partial), true);
    await rename(partial, out);
    await writeFile(`${out}.sig`, `${JSON.stringify(p.file, null, 2)}\n`);
    await p.recorded();
    printer.err(`wrote ${out} (${p.file.bytes} bytes) and its signature ${out}.sig (key ${p.file.keyId})`);
    printer.out(out);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

/** The .sig the direct path writes, from the headers the server signs a report download with. */
function signatureOfResponse(h: Headers): SignatureFile {
  const need = (name: string) => {
    const v = h.get(name);
    if (!v) throw new CliError(`the server's report response has no ${name} header`, ExitCode.runtime);
    return v;
  };
  const publicKey = publicKeyPemOf(need('x-plumbline-public-key'));
  return {
    format: 'plumbline-report-signature',
    version: 1,
    algorithm: need('x-plumbline-signature-algorithm'),
    keyId: need('x-plumbline-key-id'),
    fingerprint: fingerprintOf(publicKey),
    signature: need('x-plumbline-signature'),
    sha256: need('x-plumbline-content-sha256'),
    bytes: Number(need('content-length')),
    signedAt: new Date().toISOString(),
    publicKey,
  };
}

/** Copies `body` to `dest`, counting and hashing what passed. */
async function pipeThrough(body: Readable, dest: Writable, end: boolean): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  await pipeline(body, count, dest, { end });
  return { bytes, sha256: hash.digest('hex') };
}

async function readOrFail(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
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
    return publicKeyPemOf(pem);
  } catch {
    throw new CliError(`${file} holds no Ed25519 public key (PEM, or the JSON of /api/v1/reports/public-key)`);
  }
}

export interface VerifyArgs {
  signature?: string;
  headers?: string;
  signatureHeader?: string;
  publicKey?: string;
  keyFingerprint?: string;
}

async function readSignature(file: string, opts: VerifyArgs): Promise<DetachedSignature> {
  const given = [opts.signature, opts.headers, opts.signatureHeader].filter((x) => x !== undefined).length;
  if (given > 1) throw new CliError('give one of --signature, --headers and --signature-header');
  try {
    if (opts.headers !== undefined) return signatureFromHeaders(await readOrFail(opts.headers, 'headers file'), opts.headers);
    if (opts.signatureHeader !== undefined) return signatureFromHeaderValue(opts.signatureHeader);
    const sigFile = opts.signature ?? `${file}.sig`;
    return signatureFromFile(await readOrFail(sigFile, 'signature file'), sigFile);
  } catch (err) {
    throw err instanceof UnreadableSignature ? new CliError(err.message) : err;
  }
}

/** The keys this verification trusts: a given key file, a pinned fingerprint, or the server's own. */
async function trustedKeys(
  file: string,
  sig: DetachedSignature,
  opts: VerifyArgs,
  serverKeys: () => Promise<TrustedKeys>,
): Promise<TrustedKeys> {
  const pin = opts.keyFingerprint === undefined ? null : normalizeFingerprint(opts.keyFingerprint);
  if (opts.keyFingerprint !== undefined && !pin)
    throw new CliError('--key-fingerprint: 64 hex digits, the SHA-256 fingerprint the dashboard shows');
  if (opts.publicKey !== undefined) {
    const key = keyInfoOf(parsePublicKey(await readOrFail(opts.publicKey, 'public key'), opts.publicKey));
    if (pin && key.fingerprint !== pin)
      throw new CliError(`--public-key ${opts.publicKey} has fingerprint ${key.fingerprint}, not the pinned ${pin}`);
    return { keys: [key], source: opts.publicKey };
  }
  if (pin) {
    const p = pinnedKey(sig, pin);
    if (p.ok) return p.trusted;
    if (p.carried)
      throw new CliError(
        `signature NOT TRUSTED: ${file} was signed by the key with fingerprint ${p.carried}, not the pinned ${pin}`,
        ExitCode.failed,
      );
    throw new CliError(
      '--key-fingerprint needs the public key: this signature carries none (use --headers with the saved response headers, or --public-key)',
    );
  }
  try {
    return await serverKeys();
  } catch (err) {
    if (err instanceof NoTrustedKey) throw new CliError(`no trusted key: ${err.message}; pass --key-fingerprint HEX or --public-key FILE`);
    throw err;
  }
}

/** Exit 0 when the report is the one a trusted key signed; 1 when altered or signed by another key; 2 on bad input. */
export async function verifyReport(file: string, opts: VerifyArgs, serverKeys: () => Promise<TrustedKeys>): Promise<void> {
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new CliError(`no report file ${file}`);
  if (file.toLowerCase().endsWith('.zip') || (await looksLikeZip(file))) return verifyPackFile(file, opts, serverKeys);
  const sig = await readSignature(file, opts);
  if (sig.algorithm !== SIGNATURE_ALGORITHM)
    throw new CliError(`unknown signature algorithm '${sig.algorithm}' (this version knows ${SIGNATURE_ALGORITHM})`);
  const trusted = await trustedKeys(file, sig, opts, serverKeys);
  const v = await checkReport(file, sig, trusted);
  if (!v.ok)
    throw new CliError(v.why === 'untrusted' ? `signature NOT TRUSTED: ${v.message}` : `signature INVALID: ${v.message}`, ExitCode.failed);
  const when = sig.signedAt ? ` signed ${sig.signedAt}` : '';
  printer.out(
    `signature valid: ${file} (${v.bytes} bytes, sha256 ${v.sha256})${when} by key ${v.key.keyId}, fingerprint ${v.key.fingerprint} (trusted: ${trusted.source})`,
  );
}

/**
 * An evidence pack, checked in full (see pack/verify.ts) against a key trusted here: the
 * server's own, a --public-key, or a pinned fingerprint (then the key the pack carries is used
 * only if its fingerprint is the pinned one). With --signature or --headers, the pack's own
 * download signature is checked first.
 */
async function verifyPackFile(file: string, opts: VerifyArgs, serverKeys: () => Promise<TrustedKeys>): Promise<void> {
  let files: Map<string, Buffer>;
  try {
    files = await readPack(file);
  } catch (err) {
    if (err instanceof UnusablePack) throw new CliError(`not a usable evidence pack: ${err.message}`);
    if (err instanceof RefusedEntry)
      throw new CliError(`evidence pack INVALID, first bad file ${err.entry}: ${err.message}`, ExitCode.failed);
    throw err;
  }
  const sig = manifestSignature(files);
  const none: DetachedSignature = {
    signature: '',
    algorithm: SIGNATURE_ALGORITHM,
    keyId: null,
    publicKey: null,
    sha256: null,
    bytes: null,
    signedAt: null,
  };
  const trusted = sig ? await trustedKeys(file, sig, opts, serverKeys) : { keys: [], source: 'no key' };
  if (opts.signature !== undefined || opts.headers !== undefined || opts.signatureHeader !== undefined) {
    const outer = await readSignature(file, opts);
    const keys = sig ? trusted : await trustedKeys(file, outer ?? none, opts, serverKeys);
    const v = await checkReport(file, outer, keys);
    if (!v.ok)
      throw new CliError(
        v.why === 'untrusted' ? `signature NOT TRUSTED: ${v.message}` : `signature INVALID: ${v.message}`,
        ExitCode.failed,
      );
    printer.out(`download signature valid: ${file} (${v.bytes} bytes, sha256 ${v.sha256}) by key ${v.key.keyId}`);
  }
  const v = await verifyPack(files, trusted);
  if (!v.ok) {
    const verdict = v.why === 'untrusted' ? 'NOT TRUSTED' : 'INVALID';
    throw new CliError(`evidence pack ${verdict}, first bad file ${v.file}: ${v.message}`, ExitCode.failed);
  }
  const m = v.manifest;
  printer.out(
    `evidence pack valid: ${file}: ${m.scope} as of ${m.asOf}; ${v.files} files match the manifest signed by key ${m.keyId}, fingerprint ${v.keyFingerprint} (trusted: ${trusted.source})`,
  );
  printer.out(`  reports: ${m.reports.map((r) => r.format).join(', ')}, each signature valid`);
  printer.out(`  audit trail: ${v.audit}, chain and checkpoints intact`);
}
