import type { PGlite } from '@electric-sql/pglite';
import type { Pool, PoolClient } from 'pg';

/**
 * The little raw SQL the server needs outside Prisma (migrations, LISTEN/NOTIFY), over
 * either database. Application queries go through Prisma and its driver adapter.
 */
export interface SqlSession {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs a multi-statement script without parameters. */
  exec(script: string): Promise<void>;
}

export interface SqlConnection extends SqlSession {
  /** Runs `fn` on one dedicated connection (session-level locks stay on it). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
}

export function pgliteConnection(db: PGlite): SqlConnection {
  const session: SqlSession = {
    query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
    exec: async (script) => {
      await db.exec(script);
    },
  };
  // PGlite is a single connection: every call already runs on "one session".
  return { ...session, withSession: (fn) => fn(session) };
}

function clientSession(client: Pool | PoolClient): SqlSession {
  return {
    query: async <T>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as T[],
    exec: async (script) => {
      await client.query(script);
    },
  };
}

export function pgConnection(pool: Pool): SqlConnection {
  return {
    ...clientSession(pool),
    withSession: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn(clientSession(client));
      } finally {
        client.release();
      }
    },
  };
}
