import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../src/access/credentials';
import { buildApp } from '../src/app';
import type { Database } from '../src/db/open';
import { memoryBus, postgresBus, type LiveBus } from '../src/live/bus';
import { freshDatabase } from './helper';
import { makeHostRoot } from './host-root';

/**
 * The real agent (its built CLI, as a separate process) against the real server, which
 * is stopped and started again while the host changes: nothing may be lost or doubled.
 */
const AGENT_CLI = fileURLToPath(new URL('../../agent/dist/cli.js', import.meta.url));
const tdb = await freshDatabase();
const tmp = await mkdtemp(path.join(tmpdir(), 'plumbline-outage-'));
let server: { app: FastifyInstance; db: Database; bus: LiveBus } | null = null;
let agent: ChildProcess | null = null;
let port = 0;

async function startServer(): Promise<void> {
  const db = await tdb.open();
  const log = pino({ level: 'silent' });
  const bus = db.pool ? await postgresBus(db.pool, log) : memoryBus();
  const app = await buildApp({ config: tdb.config, db, bus, log });
  await app.listen({ port, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  server = { app, db, bus };
}

async function stopServer(): Promise<void> {
  if (!server) return;
  await server.app.close();
  await server.bus.close();
  await server.db.close();
  server = null;
}

// Generous: after an outage the agent's reconnect backoff (full jitter) may wait up to 16 s.
async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

afterAll(async () => {
  agent?.kill('SIGTERM');
  await stopServer();
  await tdb.drop();
  await rm(tmp, { recursive: true, force: true });
});

describe('an agent across a server restart', () => {
  it('delivers every change made while the server was down, once, with the time it was observed', async () => {
    expect(existsSync(AGENT_CLI), `${AGENT_CLI} is missing: run pnpm build first`).toBe(true);
    await startServer();
    const key = await createApiKey(server!.db, 'tests', 'admin');
    const token = await createEnrollmentToken(server!.db, { name: 'outage' });
    const root = path.join(tmp, 'root');
    await makeHostRoot(root, 'outage-host');
    const agentLog: string[] = [];
    agent = spawn(
      process.execPath,
      [
        AGENT_CLI,
        'run',
        '--server',
        `http://127.0.0.1:${port}`,
        '--token',
        token,
        '--root',
        root,
        '--state-dir',
        path.join(tmp, 'state'),
        '--interval',
        '1s',
      ],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    agent.stderr!.on('data', (d: Buffer) => agentLog.push(d.toString()));
    const api = async (url: string) => {
      const res = await server!.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
      return res.statusCode === 200 ? res.json() : undefined;
    };
    const hostId: string = await until('enrollment', async () => (await api('/api/v1/hosts'))?.items[0]?.id);

    await stopServer();
    const sshd = path.join(root, 'etc/ssh/sshd_config');
    const downAt = Date.now();
    await writeFile(sshd, (await readFile(sshd, 'utf8')).replace('PermitRootLogin no', 'PermitRootLogin yes'));
    await new Promise((r) => setTimeout(r, 2500));
    await writeFile(sshd, (await readFile(sshd, 'utf8')).replace('PasswordAuthentication no', 'PasswordAuthentication yes'));
    await new Promise((r) => setTimeout(r, 2500));
    const upAt = Date.now();
    await startServer();

    const changes = await until('the outage changes', async () => {
      const c = await api(`/api/v1/hosts/${hostId}/changes?limit=1000`);
      const paths = c?.items.map((x: { path: string }) => x.path) ?? [];
      return paths.includes('sshd_config.settings.passwordauthentication.value') ? c : undefined;
    }).catch((err: Error) => {
      // What the agent said of its connection is the first thing to read when this fails
      // (the test tree's missing files make every cycle log collector warnings: left out).
      const said = agentLog
        .join('')
        .split('\n')
        .filter((l) => l && !l.includes('"collector failed"'));
      throw new Error(`${err.message}; the agent logged:\n${said.join('\n').slice(-6000)}`);
    });
    const valueChanges = changes.items.filter((c: { path: string }) => c.path.endsWith('.value'));
    expect(valueChanges.map((c: { path: string; after: unknown }) => [c.path, c.after]).sort()).toEqual([
      ['sshd_config.settings.passwordauthentication.value', 'yes'],
      ['sshd_config.settings.permitrootlogin.value', 'yes'],
    ]);
    for (const c of valueChanges) {
      const at = Date.parse(c.observedAt);
      expect(at).toBeGreaterThanOrEqual(downAt - 1000);
      expect(at).toBeLessThanOrEqual(upAt);
    }
    // The root-login change was observed before the password one: order is kept.
    const at = (p: string) => Date.parse(valueChanges.find((c: { path: string }) => c.path.includes(p)).observedAt);
    expect(at('permitrootlogin')).toBeLessThan(at('passwordauthentication'));
    expect(agentLog.join('')).not.toMatch(/pla_|ple_/);
  }, 120_000);
});
