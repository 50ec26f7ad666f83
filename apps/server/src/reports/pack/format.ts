import { z } from 'zod';

/**
 * An evidence pack: one zip holding a report in several formats with their detached
 * signatures, the server's public key, the waiver register, the audit trail's slice for the
 * period with its signed checkpoints, a manifest (every other file's SHA-256) and the
 * manifest's signature. Every name is fixed here, so that the writer and the verifier agree.
 */
export const PACK_FORMAT = 'plumbline-evidence-pack';

export const PackPath = {
  readme: 'README.txt',
  manifest: 'manifest.json',
  /** The manifest's detached signature, in the report signature file format. */
  manifestSig: 'manifest.json.sig',
  sums: 'SHA256SUMS',
  publicKey: 'key/report-signing.pub',
  fingerprint: 'key/fingerprint.txt',
  waiversJson: 'waivers/register.json',
  waiversCsv: 'waivers/register.csv',
  auditSlice: 'audit/slice.json',
  auditEntries: 'audit/entries.jsonl',
  auditCheckpoints: 'audit/checkpoints.jsonl',
  reportsDir: 'reports/',
} as const;

/** The files the manifest does not list: itself and its signature. */
export const UNLISTED = new Set<string>([PackPath.manifest, PackPath.manifestSig]);

/**
 * What a verifier reads at most. A pack from a real fleet is megabytes; these bounds stop a
 * crafted archive (a zip bomb, millions of entries) before it costs memory or time.
 */
export const PackLimits = {
  /** The zip file itself. */
  packBytes: 1024 * 1024 * 1024,
  entries: 1000,
  /** One file, uncompressed. */
  entryBytes: 512 * 1024 * 1024,
  /** Every file, uncompressed. */
  totalBytes: 1024 * 1024 * 1024,
} as const;

export const ManifestFile = z.object({
  path: z.string().min(1).max(300),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

export const Manifest = z.object({
  format: z.literal(PACK_FORMAT),
  version: z.literal(1),
  reportId: z.string(),
  generatedAt: z.string(),
  asOf: z.string(),
  pointInTime: z.boolean(),
  scope: z.string(),
  profile: z.string().nullable(),
  framework: z.string().nullable(),
  waivers: z.boolean(),
  /** The report files (under reports/), each with its `.sig` beside it. */
  reports: z.array(z.object({ format: z.string(), path: z.string() })),
  /** The period the audit slice and waiver register cover. */
  period: z.object({ from: z.string(), to: z.string() }),
  keyId: z.string(),
  fingerprint: z.string(),
  files: z.array(ManifestFile),
});
export type Manifest = z.infer<typeof Manifest>;

/** audit/slice.json: where the slice starts in the chain, so that its first entry can be checked. */
export const AuditSliceHeader = z.object({
  /** The hash of the entry before the slice (64 zeros at the start of the chain). */
  prevHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** Its sequence number ("0" at the start of the chain). */
  prevSeq: z.string().regex(/^\d{1,19}$/),
  /** How many entries the chain holds up to and including it. */
  entriesBefore: z.number().int().nonnegative(),
  entries: z.number().int().nonnegative(),
  from: z.string(),
  /** The checkpoint that seals the slice's end. */
  sealedBy: z.object({ seq: z.string(), hash: z.string(), at: z.string() }),
});
export type AuditSliceHeader = z.infer<typeof AuditSliceHeader>;

/** One line of audit/entries.jsonl: an audit entry exactly as the chain hashed it. */
export const PackedAuditEntry = z.object({
  seq: z.string().regex(/^\d{1,19}$/),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  details: z.unknown(),
  prevHash: z.string(),
  hash: z.string(),
});
