import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { appendCheckpoint, checkpointFile, parseCheckpoint, signCheckpoint, type Checkpoint } from '../../audit/checkpoint';
import type { DbClient } from '../../db/open';
import { csvLine } from '../csv';
import type { ReportContext } from '../context';
import { DEFAULT_PACK_FORMATS, DEFAULT_PACK_PERIOD_DAYS, reportFilename, type PackedFormat, type ReportOptions } from '../options';
import { publicInfo, SIGNATURE_ALGORITHM, signDigest, type SignatureFile, type SigningKey } from '../../signing/key';
import { auditEntries, auditSliceStart, chainHead } from '../../audit/repository';
import { waiverRegister, type WaiverRecord } from '../repository';
import { PACK_FORMAT, PackPath, type AuditSliceHeader, type Manifest, type ManifestFile } from './format';
import { packReadme } from './readme';

export interface PackEnv {
  prisma: DbClient;
  key: SigningKey;
  /** The data directory: the pack's sealing checkpoint is appended to the server's checkpoint file there, and earlier ones are read from it. */
  dataDir?: string | undefined;
  /** The pack's own report context (options, times, id). */
  ctx: ReportContext;
  /** One report of the pack, in `format`, with the pack's options and time. */
  report(format: PackedFormat): { stream(): Readable; options: ReportOptions };
}

interface Digests {
  sha512: Buffer;
  sha256: string;
  bytes: number;
}

function signatureOf(key: SigningKey, d: Digests, at: Date): SignatureFile {
  return {
    format: 'plumbline-report-signature',
    version: 1,
    algorithm: SIGNATURE_ALGORITHM,
    keyId: key.keyId,
    fingerprint: key.fingerprint,
    signature: signDigest(key, d.sha512),
    sha256: d.sha256,
    bytes: d.bytes,
    signedAt: at.toISOString(),
    publicKey: key.publicKeyPem,
  };
}

/** Hashes what passes through, resolving with the digests at the end. */
function hashing(source: AsyncIterable<string | Buffer>): { stream: Readable; done: Promise<Digests> } {
  let resolve!: (d: Digests) => void;
  let reject!: (err: unknown) => void;
  const done = new Promise<Digests>((res, rej) => ((resolve = res), (reject = rej)));
  done.catch(() => undefined);
  async function* gen() {
    const sha512 = createHash('sha512');
    const sha256 = createHash('sha256');
    let bytes = 0;
    try {
      for await (const chunk of source) {
        const b = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        sha512.update(b);
        sha256.update(b);
        bytes += b.length;
        yield b;
      }
    } catch (err) {
      reject(err);
      throw err;
    }
    resolve({ sha512: sha512.digest(), sha256: sha256.digest('hex'), bytes });
  }
  return { stream: Readable.from(gen()), done };
}

const digestsOf = (b: Buffer): Digests => ({
  sha512: createHash('sha512').update(b).digest(),
  sha256: createHash('sha256').update(b).digest('hex'),
  bytes: b.length,
});

function waiverStatus(w: WaiverRecord, at: Date): string {
  if (w.createdAt > at) return 'not yet requested';
  if (w.revokedAt && w.revokedAt <= at) return 'revoked';
  if (w.expiresAt <= at) return 'expired';
  if (w.approvedAt && w.approvedAt <= at) return 'in force';
  return 'pending approval';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function waiverJson(w: WaiverRecord, at: Date) {
  return {
    id: w.id,
    ruleId: w.ruleId,
    cve: w.cve,
    scope: `${w.scopeType}:${w.scopeId}`,
    justification: w.justification,
    requestedBy: w.requestedBy,
    requestedAt: w.createdAt.toISOString(),
    approvedBy: w.approvedBy,
    approvedAt: iso(w.approvedAt),
    expiresAt: w.expiresAt.toISOString(),
    revokedBy: w.revokedBy,
    revokedAt: iso(w.revokedAt),
    statusAtReportTime: waiverStatus(w, at),
  };
}

const WAIVER_COLUMNS = [
  'id',
  'rule_id',
  'cve',
  'scope',
  'justification',
  'requested_by',
  'requested_at',
  'approved_by',
  'approved_at',
  'expires_at',
  'revoked_by',
  'revoked_at',
  'status_at_report_time',
];

/** The stored checkpoints (raw lines) that verify with the key and lie inside (after, through]. */
async function storedCheckpoints(file: string, env: PackEnv, after: bigint, through: bigint): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const key = publicInfo(env.key);
  const out: string[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const r = parseCheckpoint(line, key);
    if ('mark' in r && r.mark.seq > after && r.mark.seq <= through) out.push(line);
  }
  return out;
}

/**
 * The pack's bytes, streamed: each report is generated into the zip while it is hashed, its
 * signature follows it, and the manifest (signed) comes last, once every hash is known.
 */
export async function* packReport(env: PackEnv): AsyncGenerator<Buffer> {
  const zip = new ZipFile();
  const producing = fill(zip, env).catch((err: unknown) => {
    (zip.outputStream as Readable).destroy(err instanceof Error ? err : new Error(String(err)));
  });
  try {
    for await (const chunk of zip.outputStream) yield chunk as Buffer;
  } finally {
    await producing;
  }
}

async function fill(zip: ZipFile, env: PackEnv): Promise<void> {
  const { ctx, key, prisma } = env;
  const o = ctx.options;
  const at = ctx.asOf ?? ctx.generatedAt;
  const from = o.since ?? new Date(at.getTime() - DEFAULT_PACK_PERIOD_DAYS * 86_400_000);
  const mtime = ctx.generatedAt;
  const files: ManifestFile[] = [];
  const addBytes = (path: string, data: string | Buffer, compress = true): Digests => {
    const b = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    zip.addBuffer(b, path, { mtime, compress });
    const d = digestsOf(b);
    files.push({ path, sha256: d.sha256, bytes: d.bytes });
    return d;
  };

  // The reports, each hashed on its way into the zip and signed as `plumbline report --out` would.
  const reports: Manifest['reports'] = [];
  for (const format of o.formats ?? DEFAULT_PACK_FORMATS) {
    const inner = env.report(format);
    const path = `${PackPath.reportsDir}${reportFilename(inner.options, ctx.generatedAt)}`;
    const h = hashing(inner.stream());
    zip.addReadStream(h.stream, path, { mtime, compress: format !== 'pdf' });
    const d = await h.done;
    files.push({ path, sha256: d.sha256, bytes: d.bytes });
    addBytes(`${path}.sig`, `${JSON.stringify(signatureOf(key, d, new Date()), null, 2)}\n`);
    reports.push({ format, path });
  }

  addBytes(PackPath.publicKey, key.publicKeyPem);
  addBytes(PackPath.fingerprint, `SHA-256 ${key.fingerprint}\nkey id ${key.keyId}\n`);

  const waivers = await waiverRegister(prisma, from, at);
  addBytes(
    PackPath.waiversJson,
    `${JSON.stringify({ from: from.toISOString(), to: at.toISOString(), waivers: waivers.map((w) => waiverJson(w, at)) }, null, 2)}\n`,
  );
  addBytes(
    PackPath.waiversCsv,
    csvLine(WAIVER_COLUMNS) +
      waivers
        .map((w) => {
          const j = waiverJson(w, at);
          return csvLine([
            j.id,
            j.ruleId,
            j.cve,
            j.scope,
            j.justification,
            j.requestedBy,
            j.requestedAt,
            j.approvedBy,
            j.approvedAt,
            j.expiresAt,
            j.revokedBy,
            j.revokedAt,
            j.statusAtReportTime,
          ]);
        })
        .join(''),
  );

  // The audit slice: from the period's first entry to the chain's head now, sealed by a checkpoint signed now.
  const head = await chainHead(prisma);
  const lines: string[] = [];
  let slice: AuditSliceHeader;
  let entriesText = '';
  if (head) {
    const seal: Checkpoint = signCheckpoint(key, head, new Date());
    const through = BigInt(head.seq);
    const start = await auditSliceStart(prisma, from, through);
    if (env.dataDir) {
      const file = checkpointFile(env.dataDir, key.keyId);
      await appendCheckpoint(file, seal);
      lines.push(...(await storedCheckpoints(file, env, start.seq, through)));
    }
    const sealLine = JSON.stringify(seal);
    if (!lines.includes(sealLine)) lines.push(sealLine);
    let n = 0;
    const out: string[] = [];
    for await (const e of auditEntries(prisma, start.seq, through)) {
      n++;
      out.push(
        `${JSON.stringify({ seq: e.seq.toString(), at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, details: e.details, prevHash: e.prevHash, hash: e.hash })}\n`,
      );
    }
    entriesText = out.join('');
    slice = {
      prevHash: start.prevHash,
      prevSeq: start.seq.toString(),
      entriesBefore: start.entries,
      entries: n,
      from: from.toISOString(),
      sealedBy: { seq: seal.seq, hash: seal.hash, at: seal.at },
    };
  } else {
    slice = {
      prevHash: '0'.repeat(64),
      prevSeq: '0',
      entriesBefore: 0,
      entries: 0,
      from: from.toISOString(),
      sealedBy: { seq: '0', hash: '0'.repeat(64), at: new Date().toISOString() },
    };
  }
  addBytes(PackPath.auditSlice, `${JSON.stringify(slice, null, 2)}\n`);
  addBytes(PackPath.auditEntries, entriesText);
  addBytes(PackPath.auditCheckpoints, lines.map((l) => `${l}\n`).join(''));

  const d = ctx.describe();
  const base = {
    format: PACK_FORMAT as typeof PACK_FORMAT,
    version: 1 as const,
    reportId: ctx.id,
    generatedAt: d.generatedAt,
    asOf: d.asOf,
    pointInTime: d.pointInTime,
    scope: d.scope,
    profile: d.profile,
    framework: d.framework,
    waivers: d.waivers,
    reports,
    period: { from: from.toISOString(), to: at.toISOString() },
    keyId: key.keyId,
    fingerprint: key.fingerprint,
  };
  addBytes(PackPath.readme, packReadme({ ...base, files, slice, registered: waivers.length }));
  addBytes(PackPath.sums, files.map((f) => `${f.sha256}  ${f.path}\n`).join(''));

  const manifest: Manifest = { ...base, files };
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  zip.addBuffer(manifestBytes, PackPath.manifest, { mtime });
  zip.addBuffer(Buffer.from(`${JSON.stringify(signatureOf(key, digestsOf(manifestBytes), new Date()), null, 2)}\n`), PackPath.manifestSig, {
    mtime,
  });
  zip.end();
}
