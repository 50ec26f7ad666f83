import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestDatabase } from '../helper';

/**
 * Fault tests need processes that can die: the built server and agent CLIs as children,
 * on a test database from helper.ts. Every wait here is bounded.
 */
export const SERVER_CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
export const AGENT_CLI = fileURLToPath(new URL('../../../agent/dist/cli.js', import.meta.url));
export const built = existsSync(SERVER_CLI) && existsSync(AGENT_CLI);

export async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as { port: number };
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export function dbEnv(tdb: TestDatabase): NodeJS.ProcessEnv {
  return { PLUMBLINE_DATA_DIR: tdb.config.dataDir, ...(tdb.config.databaseUrl && { DATABASE_URL: tdb.config.databaseUrl }) };
}

/** `plumbline <args>` on the test database (before the server runs: the embedded one allows one process). */
export function serverCli(tdb: TestDatabase, args: string[]): string {
  return execFileSync(process.execPath, [SERVER_CLI, ...args], {
    env: { ...process.env, ...dbEnv(tdb), LOG_LEVEL: 'warn' },
    encoding: 'utf8',
  }).trim();
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 30_000, pollMs = 200): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined && v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** `plumbline serve` as a child process on a fixed port, so it can be killed and started again. */
export class ServerProc {
  child: ChildProcess | null = null;
  readonly log: string[] = [];

  constructor(
    readonly tdb: TestDatabase,
    readonly port: number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [SERVER_CLI, 'serve'], {
      env: { ...process.env, ...dbEnv(this.tdb), PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    for (const s of [child.stdout!, child.stderr!]) s.on('data', (d: Buffer) => this.log.push(d.toString()));
    await until(
      'the server to answer /healthz',
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${this.log.join('').slice(-2000)}`);
        return (await fetch(`${this.url}/healthz`)).ok;
      },
      60_000,
      100,
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${this.log.join('').slice(-2000)}`);
    });
  }

  /** Sends `signal` and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
    this.child = null;
  }

  async get(url: string, key: string): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${this.url}${url}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: await res.json().catch(() => null) };
  }
}

/** The real agent, streaming a host tree every second; its stderr (pino JSON) is kept. */
export function startAgent(serverUrl: string, token: string, root: string, stateDir: string): { child: ChildProcess; log: string[] } {
  const log: string[] = [];
  const child = spawn(
    process.execPath,
    [AGENT_CLI, 'run', '--server', serverUrl, '--token', token, '--root', root, '--state-dir', stateDir, '--interval', '1s'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  return { child, log };
}

/** Opens a TCP listener on `port` in the host tree's /proc/net/tcp: one `listening_sockets` change. */
export async function addListener(root: string, port: number): Promise<void> {
  const hex = port.toString(16).toUpperCase().padStart(4, '0');
  const line = `  ${port % 1000}: 00000000:${hex} 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 ${70_000 + port} 1 0000000000000000 100 0 0 10 0\n`;
  await appendFile(path.join(root, 'proc/net/tcp'), line);
}

interface ChangeRow {
  fact: string;
  op: string;
  after: unknown;
}

/** The ports of every listener-added change stored for a host, in the order the API lists them. */
export async function addedPorts(server: ServerProc, key: string, hostId: string): Promise<number[]> {
  const { status, body } = await server.get(`/api/v1/hosts/${hostId}/changes?limit=1000`, key);
  if (status !== 200) throw new Error(`changes: HTTP ${status}`);
  return (body as { items: ChangeRow[] }).items
    .filter((c) => c.fact === 'listening_sockets' && c.op === 'add')
    .map((c) => (c.after as { port: number }).port);
}
