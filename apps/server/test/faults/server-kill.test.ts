import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshDatabase } from '../helper';
import { makeHostRoot } from '../host-root';
import { addedPorts, addListener, built, freePort, ServerProc, serverCli, startAgent, until } from './procs';

/**
 * The server is killed with SIGKILL (no graceful close, no flush) while a real agent keeps
 * streaming changes, and started again on the same database. Every change the host went
 * through arrives, once: what the server had acknowledged survived the kill, and what it
 * had not was spooled by the agent and sent again.
 */
const tdb = await freshDatabase();
const tmp = await mkdtemp(path.join(tmpdir(), 'plumbline-fault-kill-'));
const server = new ServerProc(tdb, await freePort());
let agent: ChildProcess | null = null;

afterAll(async () => {
  agent?.kill('SIGTERM');
  await server.kill('SIGTERM');
  await tdb.drop();
  await rm(tmp, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('server killed with SIGKILL mid-ingest', () => {
  it('loses and duplicates no change once it is back', { timeout: 120_000 }, async () => {
    expect(built, 'run pnpm build first: this test runs the built CLIs').toBe(true);
    const token = serverCli(tdb, ['token', 'create', '--name', 'faults']);
    const key = serverCli(tdb, ['apikey', 'create', '--name', 'faults', '--role', 'admin']);
    await server.start();
    const root = path.join(tmp, 'root');
    await makeHostRoot(root, 'kill-host');
    const a = startAgent(server.url, token, root, path.join(tmp, 'state'));
    agent = a.child;
    const hostId = await until('the agent to enroll and store its first snapshot', async () => {
      const { body } = await server.get('/api/v1/hosts', key);
      const id = (body as { items: { id: string }[] }).items[0]?.id;
      return id && ((await server.get(`/api/v1/hosts/${id}`, key)).body as { facts: unknown }).facts ? id : undefined;
    });

    // Changes every 300 ms (faster than the agent's 1 s cycle, so ingest is always busy);
    // the kill lands between them, two more changes happen while the server is gone.
    const ports = Array.from({ length: 12 }, (_, i) => 41_000 + i);
    for (const [i, port] of ports.entries()) {
      await addListener(root, port);
      if (i === 5) {
        await until('the first changes to be stored', async () => (await addedPorts(server, key, hostId)).length > 0, 15_000);
        await server.kill('SIGKILL');
      }
      if (i === 8) await server.start();
      await sleep(300);
    }

    const stored = await until(
      'every change to arrive after the restart',
      async () => {
        const got = await addedPorts(server, key, hostId);
        return ports.every((p) => got.includes(p)) ? got : undefined;
      },
      60_000,
      500,
    );
    // A replay that arrives late would show up as a second row: give it time to.
    await sleep(2500);
    const final = await addedPorts(server, key, hostId);
    expect(final.toSorted((x, y) => x - y)).toEqual(ports);
    expect(stored.length).toBe(final.length);
    expect(a.log.join('')).toMatch(/disconnected from the server/);
  });
});
