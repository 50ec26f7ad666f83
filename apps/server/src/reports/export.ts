import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Content } from '@plumbline/benchmarks/load';
import { appendAudit } from '../audit/repository';
import type { DbClient } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { ReportContext, type ReportWriter } from './context';
import { csvReport } from './csv';
import { htmlReport } from './html';
import { jsonReport } from './json';
import { CONTENT_TYPES, reportFilename, scopeLabel, type PackedFormat, type ReportOptions } from './options';
import { packReport } from './pack/write';
import { oscalReport } from './oscal';
import { pdfReport } from './pdf';
import { publicKeyDerBase64, SIGNATURE_ALGORITHM, signDigest, type SignatureFile, type SigningKey } from '../signing/key';
import { ReportSource } from './source';
import { arfReportWriter, xccdfReport } from './xccdf';

const WRITERS: Record<PackedFormat, ReportWriter> = {
  csv: csvReport,
  json: jsonReport,
  html: htmlReport,
  pdf: pdfReport,
  oscal: oscalReport,
  xccdf: xccdfReport,
  arf: arfReportWriter,
};

/** Passes bytes through while hashing them (SHA-512 is what gets signed; SHA-256 is recorded). */
export class DigestStream extends Transform {
  private readonly sha512: Hash = createHash('sha512');
  private readonly sha256: Hash = createHash('sha256');
  bytes = 0;

  override _transform(chunk: Buffer | string, _enc: BufferEncoding, done: TransformCallback): void {
    const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.sha512.update(b);
    this.sha256.update(b);
    this.bytes += b.length;
    done(null, b);
  }

  digests(): { sha512: Buffer; sha256: string } {
    return { sha512: this.sha512.digest(), sha256: this.sha256.digest('hex') };
  }
}

export interface SignedReport {
  bytes: number;
  sha256: string;
  signature: string;
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
}

export interface ReportJob {
  ctx: ReportContext;
  filename: string;
  contentType: string;
  /** The report's bytes, generated as they are read. */
  stream(): Readable;
}

/** Where the server keeps its files: an evidence pack appends its audit checkpoint there and reads earlier ones. */
export interface ReportEnv {
  dataDir?: string | undefined;
}

/** Validates the options (unknown profile, future asOf: 400) and prepares a report; nothing is read yet. */
export function prepareReport(
  prisma: DbClient,
  content: Content,
  key: SigningKey,
  options: ReportOptions,
  now = new Date(),
  env: ReportEnv = {},
): ReportJob {
  if (options.section === 'vulnerabilities' && options.format !== 'csv' && options.format !== 'json')
    throw new AppError(ErrorCode.badRequest, 'section: vulnerabilities is a csv report (json carries it always)');
  const ctx = new ReportContext(new ReportSource(prisma, content, options, now), { keyId: key.keyId, fingerprint: key.fingerprint });
  const format = options.format;
  const stream =
    format === 'pack'
      ? () =>
          Readable.from(
            packReport({
              prisma,
              key,
              ctx,
              dataDir: env.dataDir,
              report: (f) => {
                const { formats: _f, since: _s, ...rest } = options;
                const job = prepareReport(prisma, content, key, { ...rest, format: f }, now);
                return { stream: job.stream, options: job.ctx.options };
              },
            }),
          )
      : () => Readable.from(WRITERS[format](ctx));
  return { ctx, filename: reportFilename(options, now), contentType: CONTENT_TYPES[format], stream };
}

export function signDigests(key: SigningKey, d: DigestStream): SignedReport {
  const { sha512, sha256 } = d.digests();
  return { bytes: d.bytes, sha256, signature: signDigest(key, sha512), keyId: key.keyId, algorithm: SIGNATURE_ALGORITHM };
}

/** Generates the report into `dest`, hashing as it goes, and signs it. */
export async function writeReport(job: ReportJob, key: SigningKey, dest: Writable, opts: { end?: boolean } = {}): Promise<SignedReport> {
  const digest = new DigestStream();
  await pipeline(job.stream(), digest, dest, { end: opts.end ?? true });
  return signDigests(key, digest);
}

/**
 * The headers naming the signing key, sent with every report over HTTP. With the public key and
 * its fingerprint beside the signature, the saved headers (`curl -D`) verify against a pinned
 * fingerprint offline.
 */
export function keyHeaders(key: SigningKey): Record<string, string> {
  return {
    'x-plumbline-signature-algorithm': key.algorithm,
    'x-plumbline-key-id': key.keyId,
    'x-plumbline-key-fingerprint': key.fingerprint,
    'x-plumbline-public-key': publicKeyDerBase64(key.publicKeyPem),
  };
}

/** The detached signature file written beside a report: it carries the public key so that verify works offline. */
export function signatureFile(signed: SignedReport, key: SigningKey, at = new Date()): SignatureFile {
  return {
    format: 'plumbline-report-signature',
    version: 1,
    algorithm: signed.algorithm,
    keyId: key.keyId,
    fingerprint: key.fingerprint,
    signature: signed.signature,
    sha256: signed.sha256,
    bytes: signed.bytes,
    signedAt: at.toISOString(),
    publicKey: key.publicKeyPem,
  };
}

/** Every export goes into the audit trail with the hash of exactly what left the server. */
export async function recordExport(prisma: DbClient, actor: string, job: ReportJob, signed: SignedReport): Promise<void> {
  const o = job.ctx.options;
  await appendAudit(prisma, {
    actor,
    action: 'report.export',
    target: job.filename,
    details: {
      reportId: job.ctx.id,
      format: o.format,
      scope: scopeLabel(o.scope),
      profile: o.profile ?? null,
      framework: o.framework ?? null,
      waivers: o.waivers,
      asOf: (o.asOf ?? job.ctx.generatedAt).toISOString(),
      ...(o.section === 'vulnerabilities' && { section: o.section }),
      ...(o.format === 'pack' ? { formats: o.formats ?? null, since: o.since?.toISOString() ?? null } : {}),
      pointInTime: Boolean(o.asOf),
      sha256: signed.sha256,
      bytes: signed.bytes,
      keyId: signed.keyId,
    },
  });
}
