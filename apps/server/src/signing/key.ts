import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import type { DbClient } from '../db/open';
import { currentServerKey, currentServerKeyOrCreate, serverPublicKeys } from './repository';

/**
 * Report signatures. Ed25519 in node:crypto signs a whole buffer (no streaming, no Ed25519ph),
 * and a fleet report is far too large to hold, so the signed message is the SHA-512 digest of
 * the report's exact bytes, computed while they stream:
 *
 *   signature = Ed25519.sign(privateKey, SHA-512(report bytes))
 *
 * Verifying recomputes SHA-512 over the file and checks the signature over those 64 bytes.
 */
export const SIGNATURE_ALGORITHM = 'ed25519-sha512';
const PURPOSE = 'report';

export interface SigningKey {
  keyId: string;
  algorithm: typeof SIGNATURE_ALGORITHM;
  publicKeyPem: string;
  /** SHA-256 of the public key (SPKI DER), hex. */
  fingerprint: string;
  privateKey: KeyObject;
}

export interface PublicKeyInfo {
  keyId: string;
  algorithm: string;
  fingerprint: string;
  publicKey: string;
}

/** The detached signature `plumbline report --out FILE` writes to FILE.sig. */
export interface SignatureFile extends PublicKeyInfo {
  format: 'plumbline-report-signature';
  version: 1;
  signature: string;
  sha256: string;
  bytes: number;
  signedAt: string;
}

export function fingerprintOf(publicKeyPem: string): string {
  return createHash('sha256')
    .update(createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

function toSigningKey(row: { id: string; publicKey: string; privateKey: string }): SigningKey {
  return {
    keyId: row.id,
    algorithm: SIGNATURE_ALGORITHM,
    publicKeyPem: row.publicKey,
    fingerprint: fingerprintOf(row.publicKey),
    privateKey: createPrivateKey({ key: row.privateKey, format: 'pem' }),
  };
}

/** The current report-signing key; the first call on a new database creates it. */
export async function ensureSigningKey(prisma: DbClient): Promise<SigningKey> {
  const existing = await currentServerKey(prisma, PURPOSE);
  if (existing) return toSigningKey(existing);
  const row = await currentServerKeyOrCreate(prisma, PURPOSE, () => {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { id: fingerprintOf(publicPem).slice(0, 32), algorithm: SIGNATURE_ALGORITHM, publicKey: publicPem, privateKey: privatePem };
  });
  return toSigningKey(row);
}

/** The current key without creating one: read-only commands must not mint a key a server never used. */
export async function findSigningKey(prisma: DbClient): Promise<SigningKey | null> {
  const row = await currentServerKey(prisma, PURPOSE);
  return row ? toSigningKey(row) : null;
}

/** Every report key this database ever signed with (retired ones too: their reports stay valid). */
export async function reportPublicKeys(prisma: DbClient): Promise<PublicKeyInfo[]> {
  const rows = await serverPublicKeys(prisma, PURPOSE);
  return rows.map((r) => ({ keyId: r.id, algorithm: r.algorithm, fingerprint: fingerprintOf(r.publicKey), publicKey: r.publicKey }));
}

/** A public key as PEM from PEM text, or from the base64 SPKI DER the API sends in `X-Plumbline-Public-Key`. */
export function publicKeyPemOf(text: string): string {
  const t = text.trim();
  const key = t.startsWith('-----BEGIN')
    ? createPublicKey(t)
    : createPublicKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`not an Ed25519 key (${key.asymmetricKeyType ?? 'unknown'})`);
  return key.export({ type: 'spki', format: 'pem' }).toString();
}

export function publicKeyDerBase64(publicKeyPem: string): string {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).toString('base64');
}

export function keyInfoOf(publicKeyPem: string): PublicKeyInfo {
  const fingerprint = fingerprintOf(publicKeyPem);
  return { keyId: fingerprint.slice(0, 32), algorithm: SIGNATURE_ALGORITHM, fingerprint, publicKey: publicKeyPem };
}

/** A fingerprint as people paste it (any case, `:` or spaces, an optional `SHA256:` prefix) as 64 lowercase hex digits, or null. */
export function normalizeFingerprint(text: string): string | null {
  const hex = text
    .trim()
    .replace(/^sha-?256:/i, '')
    .replace(/[:\s]/g, '')
    .toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

/** Signs a short message directly (audit checkpoints), unlike reports which sign their digest. */
export function signMessage(key: SigningKey, message: Buffer): string {
  return sign(null, message, key.privateKey).toString('base64');
}

export function publicInfo(key: SigningKey): PublicKeyInfo {
  return { keyId: key.keyId, algorithm: key.algorithm, fingerprint: key.fingerprint, publicKey: key.publicKeyPem };
}

/** Signs the SHA-512 digest of a report. */
export function signDigest(key: SigningKey, sha512: Buffer): string {
  return sign(null, sha512, key.privateKey).toString('base64');
}

export function verifyDigest(publicKeyPem: string, sha512: Buffer, signatureBase64: string): boolean {
  try {
    return verify(null, sha512, createPublicKey(publicKeyPem), Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}

/**
 * Agent packages: Ed25519 over the raw bytes of SHA256SUMS (which lists every package's
 * SHA-256), so that the installer can check it with `openssl pkeyutl -verify -rawin` against
 * the key whose fingerprint the install command carries. 64 bytes, binary.
 */
export function signPackageList(key: SigningKey, sums: Buffer): Buffer {
  return sign(null, sums, key.privateKey);
}
