import { loadConfig } from '../config';
import { openDatabase, type Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { createLogger } from '../log';
import { CliError } from './printer';
import { serverClient, type ServerClient } from './server-client';

export type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/**
 * Runs a command on the database, or, while a running server holds the embedded database,
 * through that server's API: `db` and `server` are the command's two ways of doing the same.
 */
export type DatabaseOrServer = <T>(
  command: string,
  db: (db: Database) => Promise<T>,
  server: (api: ServerClient) => Promise<T>,
) => Promise<T>;

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

export function isDatabaseLocked(err: unknown): err is AppError {
  return err instanceof AppError && err.code === ErrorCode.dbLocked;
}

/** The database when it can be opened; the running server's API when that server holds it (the lock is taken before `db` runs). */
export function databaseOrServer(open: WithDatabase = withDatabase): DatabaseOrServer {
  return async (command, db, server) => {
    try {
      return await open(db);
    } catch (err) {
      if (!isDatabaseLocked(err)) throw err;
      return server(serverClient(command, loadConfig().dataDir));
    }
  };
}

/** The line for a command that has no way through the server, run while the server holds the embedded database. */
export function lockedOut(command: string, err: AppError): CliError {
  const why = err.message.replace(/; stop it first.*$/, '');
  return new CliError(
    `${command} cannot go through the running server and needs the database (${why}): stop the server, or use PostgreSQL (DATABASE_URL)`,
  );
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new CliError('--password-stdin: pipe the password in, e.g. `printf %s "$PW" | plumbline user add ...`');
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, '');
}
