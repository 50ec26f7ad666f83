import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  fingerprintOf,
  keyInfoOf,
  publicKeyPemOf,
  SIGNATURE_ALGORITHM,
  verifyDigest,
  type PublicKeyInfo,
  type SignatureFile,
} from '../signing/key';
import type { TrustedKeys } from './trust';

/**
 * Checking a report against a signature and a set of trusted keys. The signature may come as
 * the `.sig` file `plumbline report --out` writes, or as the response headers of
 * `GET /api/v1/reports` (what `curl -D FILE` saves). Whatever key the signature carries is
 * only a hint to pick among the trusted keys, never itself trusted.
 */
export interface DetachedSignature {
  /** Base64 Ed25519 signature over the SHA-512 of the report's bytes. */
  signature: string;
  algorithm: string;
  keyId: string | null;
  /** The public key that came with the signature (PEM), if any: compared with a pinned fingerprint only. */
  publicKey: string | null;
  sha256: string | null;
  bytes: number | null;
  signedAt: string | null;
}

/** Why a signature cannot be read: bad input, not a bad report. */
export class UnreadableSignature extends Error {}

export function signatureFromFile(text: string, file: string): DetachedSignature {
  let s: Partial<SignatureFile>;
  try {
    s = JSON.parse(text) as Partial<SignatureFile>;
  } catch {
    throw new UnreadableSignature(`${file} is not a Plumbline report signature file (not JSON)`);
  }
  if (s?.format !== 'plumbline-report-signature' || typeof s.signature !== 'string')
    throw new UnreadableSignature(`${file} is not a Plumbline report signature file`);
  return {
    signature: s.signature,
    algorithm: String(s.algorithm ?? ''),
    keyId: typeof s.keyId === 'string' ? s.keyId : null,
    publicKey: typeof s.publicKey === 'string' ? s.publicKey : null,
    sha256: typeof s.sha256 === 'string' ? s.sha256 : null,
    bytes: typeof s.bytes === 'number' ? s.bytes : null,
    signedAt: typeof s.signedAt === 'string' ? s.signedAt : null,
  };
}

/**
 * The headers `curl -D FILE` saved. Redirects and `100 Continue` leave several header blocks:
 * the last one is the report's.
 */
export function signatureFromHeaders(text: string, file: string): DetachedSignature {
  const blocks = text.split(/\r?\n\r?\n/).filter((b) => b.trim());
  const block = blocks.reverse().find((b) => /^x-plumbline-signature\s*:/im.test(b));
  if (!block)
    throw new UnreadableSignature(
      `${file} has no X-Plumbline-Signature header (save the headers with curl -D ${file}, without signature=trailer)`,
    );
  const h = new Map<string, string>();
  for (const line of block.split(/\r?\n/)) {
    const m = /^([A-Za-z0-9-]+)\s*:\s*(.*)$/.exec(line);
    if (m) h.set((m[1] as string).toLowerCase(), (m[2] as string).trim());
  }
  let publicKey: string | null = null;
  const der = h.get('x-plumbline-public-key');
  if (der) {
    try {
      publicKey = publicKeyPemOf(der);
    } catch {
      throw new UnreadableSignature(`${file}: X-Plumbline-Public-Key is not an Ed25519 public key`);
    }
  }
  const length = Number(h.get('content-length'));
  return {
    signature: h.get('x-plumbline-signature') as string,
    algorithm: h.get('x-plumbline-signature-algorithm') ?? SIGNATURE_ALGORITHM,
    keyId: h.get('x-plumbline-key-id') ?? null,
    publicKey,
    sha256: h.get('x-plumbline-content-sha256') ?? null,
    bytes: Number.isSafeInteger(length) ? length : null,
    signedAt: h.get('date') ?? null,
  };
}

/** The value of an `X-Plumbline-Signature` header, with or without its name. */
export function signatureFromHeaderValue(value: string): DetachedSignature {
  const v = value.trim().replace(/^x-plumbline-signature\s*:\s*/i, '');
  if (!/^[A-Za-z0-9+/]{40,}={0,2}$/.test(v))
    throw new UnreadableSignature('--signature-header: not an X-Plumbline-Signature value (base64)');
  return { signature: v, algorithm: SIGNATURE_ALGORITHM, keyId: null, publicKey: null, sha256: null, bytes: null, signedAt: null };
}

/**
 * The keys to trust when a fingerprint is pinned: the key that came with the signature, if its
 * fingerprint is the pinned one. Null when it came with none (the caller asks for the key).
 */
export function pinnedKey(
  sig: DetachedSignature,
  fingerprint: string,
): { ok: true; trusted: TrustedKeys } | { ok: false; carried: string | null } {
  if (!sig.publicKey) return { ok: false, carried: null };
  const carried = fingerprintOf(sig.publicKey);
  if (carried !== fingerprint) return { ok: false, carried };
  return { ok: true, trusted: { keys: [keyInfoOf(sig.publicKey)], source: `the pinned fingerprint ${fingerprint}` } };
}

export async function digestsOf(file: string): Promise<{ sha512: Buffer; sha256: string; bytes: number }> {
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

export type Verdict =
  | { ok: true; key: PublicKeyInfo; sha256: string; bytes: number }
  /** `untrusted`: signed by a key not trusted here; `altered`: the bytes are not the ones signed. */
  | { ok: false; why: 'untrusted' | 'altered'; message: string };

export function digestsOfBytes(bytes: Uint8Array): { sha512: Buffer; sha256: string; bytes: number } {
  return {
    sha512: createHash('sha512').update(bytes).digest(),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    bytes: bytes.length,
  };
}

/** Checks `file` against `sig` with the trusted keys only. */
export async function checkReport(file: string, sig: DetachedSignature, trusted: TrustedKeys): Promise<Verdict> {
  return checkDigests(file, await digestsOf(file), sig, trusted);
}

/** Checks a report already read (`name` is how to call it) against `sig` with the trusted keys only. */
export function checkDigests(
  file: string,
  d: { sha512: Buffer; sha256: string; bytes: number },
  sig: DetachedSignature,
  trusted: TrustedKeys,
): Verdict {
  const candidates = sig.keyId ? trusted.keys.filter((k) => k.keyId === sig.keyId) : trusted.keys;
  const trustedNames = trusted.keys.map((k) => k.fingerprint).join(', ');
  if (!candidates.length) {
    const by = sig.publicKey ? `key ${sig.keyId} (fingerprint ${fingerprintOf(sig.publicKey)})` : `key ${sig.keyId}`;
    return {
      ok: false,
      why: 'untrusted',
      message: `${file} was signed by ${by}, which is not a trusted key (${trusted.source}: ${trustedNames})`,
    };
  }
  const key = candidates.find((k) => verifyDigest(k.publicKey, d.sha512, sig.signature));
  if (key) return { ok: true, key, sha256: d.sha256, bytes: d.bytes };
  if (!sig.keyId)
    return {
      ok: false,
      why: 'altered',
      message: `${file} does not match its signature under the trusted key (${trusted.source}: ${trustedNames}): altered, or signed by another key`,
    };
  const why =
    sig.bytes !== null && d.bytes !== sig.bytes
      ? `its size is ${d.bytes} bytes, signed ${sig.bytes}`
      : sig.sha256 && d.sha256 !== sig.sha256
        ? 'its content changed since it was signed'
        : 'the signature does not match';
  return { ok: false, why: 'altered', message: `${file}: ${why}` };
}
