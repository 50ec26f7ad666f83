import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { freshDatabase, onPostgres } from '../helper';
import { makeHostRoot } from '../host-root';
import { built, freePort, ServerProc, serverCli, startAgent, until } from './procs';

/**
 * Two `plumbline serve` processes on one PostgreSQL database, as behind a load balancer:
 * a real agent streams to replica A, a dashboard listens on replica B, and the drift the
 * agent causes on A reaches B's live client through LISTEN/NOTIFY. PGlite belongs to one
 * process: there are no replicas to run there.
 */
const ROOT_LOGIN = 'plb-ssh-permit-root-login';
const tdb = await freshDatabase();
const tmp = await mkdtemp(path.join(tmpdir(), 'plumbline-fault-replicas-'));
const a = new ServerProc(tdb, await freePort());
const b = new ServerProc(tdb, await freePort());
let agent: ChildProcess | null = null;
let live: WebSocket | null = null;

afterAll(async () => {
  live?.terminate();
  agent?.kill('SIGTERM');
  await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')]);
  await tdb.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe.skipIf(!onPostgres)('two replicas on one database (PostgreSQL)', () => {
  it('delivers an event from an agent on replica A to a live client on replica B', { timeout: 120_000 }, async () => {
    expect(built, 'run pnpm build first: this test runs the built CLIs').toBe(true);
    const token = serverCli(tdb, ['token', 'create', '--name', 'replicas']);
    const key = serverCli(tdb, ['apikey', 'create', '--name', 'replicas', '--role', 'admin']);
    await a.start();
    await b.start();

    const root = path.join(tmp, 'root');
    await makeHostRoot(root, 'replica-host');
    const ag = startAgent(a.url, token, root, path.join(tmp, 'state'));
    agent = ag.child;
    const hostId = await until('the agent to enroll on A and store its first snapshot', async () => {
      const id = ((await a.get('/api/v1/hosts', key)).body as { items: { id: string }[] }).items[0]?.id;
      return id && ((await a.get(`/api/v1/hosts/${id}`, key)).body as { facts: unknown }).facts ? id : undefined;
    });

    const events: Array<Record<string, unknown>> = [];
    live = new WebSocket(`${b.url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${key}` } });
    live.on('message', (d: Buffer) => events.push(JSON.parse(d.toString()) as Record<string, unknown>));
    await new Promise((resolve, reject) => live!.once('open', resolve).once('error', reject));

    const sshd = path.join(root, 'etc/ssh/sshd_config');
    await writeFile(sshd, (await readFile(sshd, 'utf8')).replace('PermitRootLogin no', 'PermitRootLogin yes'));

    const drift = await until('the drift to reach the live client on B', async () =>
      events.find((e) => e.type === 'drift' && e.hostId === hostId && e.ruleId === ROOT_LOGIN),
    );
    expect(drift).toMatchObject({ kind: 'compliance', direction: 'regression', hostname: 'replica-host' });
    const updated = await until('the host update to reach B', async () =>
      events.find(
        (e) => e.type === 'host.updated' && e.hostId === hostId && (e.changed as string[]).some((p) => p.startsWith('sshd_config')),
      ),
    );
    // The agent spoke only to A: B can only have learned of it through the database.
    expect(updated).toMatchObject({ hostname: 'replica-host', created: false });
  });
});
