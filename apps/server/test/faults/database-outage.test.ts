import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase, onPostgres } from '../helper';
import { makeHostRoot } from '../host-root';
import { addedPorts, addListener, built, freePort, ServerProc, serverCli, startAgent, until } from './procs';

/**
 * The database goes away under a running server: every connection of the test's own
 * throwaway database is terminated, and new ones are refused (ALLOW_CONNECTIONS false),
 * which is what a PostgreSQL restart or failover looks like from the server. The
 * PostgreSQL server itself is shared and is never touched. The server must say it is not
 * ready, the agent must keep its changes in its spool, and once connections work again
 * everything arrives, once. PGlite lives inside the server process: nothing to cut there.
 */
const tdb = await freshDatabase();
const tmp = await mkdtemp(path.join(tmpdir(), 'plumbline-fault-db-'));
const server = new ServerProc(tdb, await freePort());
let agent: ChildProcess | null = null;
const dbName = tdb.config.databaseUrl ? new URL(tdb.config.databaseUrl).pathname.slice(1) : '';

/** Runs SQL on the PostgreSQL server's maintenance database, never on the one under test. */
async function admin(sql: string): Promise<void> {
  const url = new URL(tdb.config.databaseUrl!);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
const cutOff = async () => {
  await admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS false`);
  await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}' AND pid <> pg_backend_pid()`);
};
const restore = () => admin(`ALTER DATABASE ${dbName} ALLOW_CONNECTIONS true`);

afterAll(async () => {
  agent?.kill('SIGTERM');
  await server.kill('SIGTERM');
  if (onPostgres) await restore().catch(() => undefined);
  await tdb.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!onPostgres)('database connections lost under a running server (PostgreSQL)', () => {
  it('is not ready meanwhile, and loses no change the agent made', { timeout: 150_000 }, async () => {
    expect(built, 'run pnpm build first: this test runs the built CLIs').toBe(true);
    expect(dbName).toMatch(/^plumbline_test_/);
    const token = serverCli(tdb, ['token', 'create', '--name', 'outage']);
    const key = serverCli(tdb, ['apikey', 'create', '--name', 'outage', '--role', 'admin']);
    await server.start();
    const root = path.join(tmp, 'root');
    await makeHostRoot(root, 'db-outage-host');
    const a = startAgent(server.url, token, root, path.join(tmp, 'state'));
    agent = a.child;
    const hostId = await until(
      'the agent to enroll',
      async () => ((await server.get('/api/v1/hosts', key)).body as { items: { id: string }[] }).items[0]?.id,
    );
    await addListener(root, 42_000);
    await until('a first change', async () => (await addedPorts(server, key, hostId)).includes(42_000));

    await cutOff();
    const notReady = await until(
      '/readyz to report the database gone',
      async () => (await fetch(`${server.url}/readyz`)).status === 503,
      20_000,
    );
    expect(notReady).toBe(true);
    // The process itself is alive and says so.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    for (const port of [42_001, 42_002, 42_003]) {
      await addListener(root, port);
      await new Promise((r) => setTimeout(r, 1500));
    }
    // Still out: the changes can only be in the agent's spool.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    await restore();
    await until('/readyz to recover', async () => (await fetch(`${server.url}/readyz`)).status === 200, 30_000);
    const ports = [42_000, 42_001, 42_002, 42_003];
    await until(
      'every change made during the outage',
      async () => {
        const got = await addedPorts(server, key, hostId);
        return ports.every((p) => got.includes(p));
      },
      90_000,
      500,
    );
    await new Promise((r) => setTimeout(r, 2500));
    expect((await addedPorts(server, key, hostId)).toSorted((x, y) => x - y)).toEqual(ports);
  });
});
