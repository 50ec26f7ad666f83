import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '@plumbline/protocol/digest';
import { signMessage, verifyDigest, type PublicKeyInfo, type SigningKey } from '../signing/key';
import { type ChainMark } from './trail';

/**
 * Signed checkpoints of the audit chain's head, kept outside the database. Someone who can
 * write to the database can rewrite entries and recompute every hash, or delete the newest
 * entries: the chain alone still holds. A checkpoint made before that (the head's sequence
 * number, hash and the number of entries, signed with the server's key) no longer matches.
 *
 * One file per database, named by its signing key's id (several PostgreSQL databases may share
 * a data directory), one JSON line per checkpoint, only ever appended to.
 */
export const CHECKPOINT_FORMAT = 'plumbline-audit-checkpoint';

export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  version: 1;
  keyId: string;
  /** The head entry's sequence number (a string: it is a bigint). */
  seq: string;
  hash: string;
  /** How many entries the chain held up to and including the head. */
  entries: number;
  at: string;
  /** Ed25519 over checkpointMessage(), base64. */
  signature: string;
}

export type ChainHead = Pick<Checkpoint, 'seq' | 'hash' | 'entries'>;

export function checkpointFile(dataDir: string, keyId: string): string {
  return path.join(dataDir, `audit-checkpoints-${keyId}.jsonl`);
}

/** What is signed: a fixed prefix keeps a checkpoint signature from passing for any other signed thing. */
export function checkpointMessage(c: Omit<Checkpoint, 'signature' | 'format' | 'version'>): Buffer {
  return Buffer.from(`${CHECKPOINT_FORMAT}\n${canonicalJson({ keyId: c.keyId, seq: c.seq, hash: c.hash, entries: c.entries, at: c.at })}`);
}

export function signCheckpoint(key: SigningKey, head: ChainHead, at: Date): Checkpoint {
  const body = { keyId: key.keyId, seq: head.seq, hash: head.hash, entries: head.entries, at: at.toISOString() };
  return { format: CHECKPOINT_FORMAT, version: 1, ...body, signature: signMessage(key, checkpointMessage(body)) };
}

/** One line, one write: an append of a few hundred bytes never interleaves with another. */
export async function appendCheckpoint(file: string, c: Checkpoint): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await appendFile(file, `${JSON.stringify(c)}\n`, { mode: 0o600 });
}

export interface CheckpointProblem {
  line: number;
  reason: string;
}

export interface ReadCheckpoints {
  /** Lines whose signature verifies with the trusted key. */
  marks: ChainMark[];
  /** Lines that are not checkpoints, or whose signature does not verify: each is reported. */
  problems: CheckpointProblem[];
}

/** One checkpoint line checked against the trusted key: its mark, or why it is refused. */
export function parseCheckpoint(text: string, key: PublicKeyInfo): { mark: ChainMark } | { reason: string } {
  let c: Partial<Checkpoint>;
  try {
    c = JSON.parse(text) as Partial<Checkpoint>;
  } catch {
    return { reason: 'not JSON' };
  }
  if (
    c?.format !== CHECKPOINT_FORMAT ||
    typeof c.seq !== 'string' ||
    !/^\d{1,19}$/.test(c.seq) ||
    typeof c.hash !== 'string' ||
    !Number.isSafeInteger(c.entries) ||
    typeof c.at !== 'string' ||
    typeof c.signature !== 'string'
  ) {
    return { reason: 'not an audit checkpoint' };
  }
  if (c.keyId !== key.keyId) return { reason: `signed by key ${String(c.keyId)}, not this server's key ${key.keyId}` };
  const body = { keyId: c.keyId, seq: c.seq, hash: c.hash, entries: c.entries as number, at: c.at };
  if (!verifyDigest(key.publicKey, checkpointMessage(body), c.signature))
    return { reason: `its signature does not verify with the server key ${key.fingerprint} (forged or altered)` };
  return { mark: { seq: BigInt(c.seq), hash: c.hash, entries: body.entries, at: c.at } };
}

/** Null when the file does not exist. */
export async function readCheckpoints(file: string, key: PublicKeyInfo): Promise<ReadCheckpoints | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const out: ReadCheckpoints = { marks: [], problems: [] };
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const r = parseCheckpoint(line, key);
    if ('mark' in r) out.marks.push(r.mark);
    else out.problems.push({ line: i + 1, reason: r.reason });
  });
  return out;
}

/** The newest checkpoint in a file, unchecked (the server's own record of where it left off). */
export async function lastCheckpoint(file: string): Promise<ChainHead | null> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const line = text.trimEnd().split('\n').pop();
  if (!line) return null;
  try {
    const c = JSON.parse(line) as Checkpoint;
    return { seq: c.seq, hash: c.hash, entries: c.entries };
  } catch {
    return null;
  }
}
