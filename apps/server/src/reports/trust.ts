import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Database } from '../db/open';
import type { DbClient } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { keyInfoOf, publicKeyPemOf, reportPublicKeys, type PublicKeyInfo, type SigningKey } from '../signing/key';

/**
 * Which report keys this machine trusts: the server's own, never a key that arrives with the
 * thing being verified. The database holds the key; the embedded database cannot be opened
 * while its server runs, so the server also publishes its public key in the data directory.
 */
export const PUBLIC_KEY_FILE = 'report-signing.pub';

export interface TrustedKeys {
  keys: PublicKeyInfo[];
  /** Where they came from, for the verdict line. */
  source: string;
}

/** Thrown when no trusted key can be found: the caller says how to give one. */
export class NoTrustedKey extends Error {}

export function publicKeyFile(dataDir: string): string {
  return path.join(dataDir, PUBLIC_KEY_FILE);
}

/** Written under a temporary name and renamed, so a reader never sees half a key. */
export async function writePublicKeyFile(dataDir: string, key: SigningKey): Promise<string> {
  const file = publicKeyFile(dataDir);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const partial = `${file}.partial-${process.pid}`;
  await writeFile(partial, key.publicKeyPem, { mode: 0o644 });
  await rename(partial, file);
  return file;
}

export async function readPublicKeyFile(dataDir: string): Promise<PublicKeyInfo | null> {
  const file = publicKeyFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    return keyInfoOf(publicKeyPemOf(text));
  } catch (err) {
    throw new NoTrustedKey(`${file} holds no Ed25519 public key: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** The report keys a database holds, as trusted keys. */
export async function databaseKeys(prisma: DbClient, where: string): Promise<TrustedKeys> {
  const keys = await reportPublicKeys(prisma);
  if (!keys.length) throw new NoTrustedKey(`${where} holds no report-signing key yet (no server has run on it)`);
  return { keys, source: where };
}

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/**
 * The server's keys as seen from the CLI beside it: from PostgreSQL (DATABASE_URL), or from the
 * embedded database, or, while the embedded server holds that database, from the key file it
 * published at start.
 */
export function serverKeys(
  cfg: { databaseUrl: string | undefined; dataDir: string },
  withDatabase: WithDatabase,
): () => Promise<TrustedKeys> {
  const fromDatabase = (where: string) => withDatabase((db) => databaseKeys(db.prisma, where));
  const fromFile = async (why: string): Promise<TrustedKeys> => {
    const key = await readPublicKeyFile(cfg.dataDir);
    if (!key) throw new NoTrustedKey(`${why}, and ${publicKeyFile(cfg.dataDir)} does not exist`);
    return { keys: [key], source: publicKeyFile(cfg.dataDir) };
  };
  return async () => {
    if (cfg.databaseUrl) return fromDatabase('the database (DATABASE_URL)');
    if (!existsSync(path.join(cfg.dataDir, 'pgdata'))) return fromFile(`no embedded database in ${cfg.dataDir}`);
    try {
      return await fromDatabase(`the embedded database in ${cfg.dataDir}`);
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.dbLocked)
        return fromFile(`the embedded database in ${cfg.dataDir} is in use by its server`);
      throw err;
    }
  };
}
