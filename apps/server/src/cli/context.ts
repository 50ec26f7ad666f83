import { loadConfig } from '../config';
import { openDatabase, type Database } from '../db/open';
import { createLogger } from '../log';
import { CliError } from './printer';

export type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/** Opens the database for one command, and always closes it (releasing the embedded lock). */
export async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const db = await openDatabase({ ...config, log: createLogger('warn', process.stderr as never) });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the password in, e.g. `printf %s "$PW" | plumbline user add ...`');
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, '');
}
