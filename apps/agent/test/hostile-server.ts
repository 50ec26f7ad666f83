import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';

/**
 * A WebSocket server on loopback that accepts any bearer and then misbehaves as a test asks:
 * each connection runs `script`, which sees every message the agent sends. It records what an
 * operator of a real server would see: upgrades, the bearer of each, every message received.
 */
export interface Received {
  conn: number;
  type: string;
  seq?: number;
  payload?: Record<string, unknown>;
}

export interface Conn {
  n: number;
  ws: WebSocket;
  bearer: string;
  send(msg: object): void;
  welcome(extra?: Record<string, unknown>): void;
  ack(seq: number): void;
}

export type Script = (conn: Conn, msg: Received) => void;

export interface Hostile {
  url: string;
  upgrades: number;
  bearers: string[];
  received: Received[];
  of(type: string): Received[];
  close(): Promise<void>;
}

export const VALID_CREDENTIAL = `pla_${'A1b2'.repeat(10)}xyz`;

export function welcomeMsg(extra: Record<string, unknown> = {}) {
  return {
    version: 2,
    type: 'welcome',
    payload: { hostId: 'h-1', lastSeq: 0, digest: null, serverTime: new Date().toISOString(), ...extra },
  };
}

/** A server running `script`; `rawUpgrade` replaces the WebSocket upgrade with raw socket writes. */
export async function hostileServer(script: Script, rawUpgrade?: (socket: Socket, req: IncomingMessage) => void): Promise<Hostile> {
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer((_req, res) => res.end('no'));
  const sockets = new Set<Socket>();
  const h: Hostile = {
    url: '',
    upgrades: 0,
    bearers: [],
    received: [],
    of: (type) => h.received.filter((r) => r.type === type),
    close: async () => undefined,
  };
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('upgrade', (req, socket: Socket, head) => {
    const n = ++h.upgrades;
    const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    h.bearers.push(bearer);
    if (rawUpgrade) return rawUpgrade(socket, req);
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.on('error', () => undefined);
      const conn: Conn = {
        n,
        ws,
        bearer,
        send: (msg) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg)),
        welcome: (extra) => conn.send(welcomeMsg(extra)),
        ack: (seq) => conn.send({ version: 2, type: 'ack', seq }),
      };
      ws.on('message', (data: Buffer) => {
        let m: { type: string; seq?: number; payload?: Record<string, unknown> };
        try {
          m = JSON.parse(data.toString()) as typeof m;
        } catch {
          return;
        }
        const r: Received = { conn: n, type: m.type, ...(m.seq !== undefined && { seq: m.seq }), ...(m.payload && { payload: m.payload }) };
        h.received.push(r);
        script(conn, r);
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  h.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  h.close = async () => {
    for (const ws of wss.clients) ws.terminate();
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return h;
}

/** A well-behaved server: welcomes with a valid credential, acknowledges everything. */
export const polite: Script = (conn, msg) => {
  if (msg.type === 'hello') conn.welcome({ credential: VALID_CREDENTIAL });
  else if (msg.seq !== undefined) conn.ack(msg.seq);
};

const repo = path.resolve(import.meta.dirname, '../../..');
/** The CLI under test; PLUMBLINE_AGENT_CLI points at another build (an earlier release, to compare). */
export const CLI = process.env.PLUMBLINE_AGENT_CLI ?? path.join(repo, 'apps/agent/dist/cli.js');
export const FIXTURE = path.join(repo, 'apps/agent/fixtures/hosts/debian12-default');

/** The built agent CLI, `run`, as a separate process; its pino lines are parsed as they come. */
export interface AgentProcess {
  child: ChildProcess;
  logs: Record<string, unknown>[];
  stderr(): string;
  exited: Promise<number | null>;
  /** Log lines whose message matches. */
  said(msg: RegExp): Record<string, unknown>[];
  stop(): Promise<number | null>;
}

export function runAgent(server: string, stateDir: string, extra: string[] = [], stdin?: string): AgentProcess {
  const args = [CLI, 'run', '--server', server, '--root', FIXTURE, '--state-dir', stateDir, '--interval', '2s', ...extra];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'], env: { ...process.env, PLUMBLINE_LOG_LEVEL: 'info' } });
  child.stdin!.end(stdin ?? '');
  const logs: Record<string, unknown>[] = [];
  let raw = '';
  let partial = '';
  child.stderr!.on('data', (d: Buffer) => {
    raw += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return {
    child,
    logs,
    stderr: () => raw,
    exited,
    said: (msg) => logs.filter((l) => typeof l.msg === 'string' && msg.test(l.msg)),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits for a condition (the agent's own progress), failing after `limitMs`. */
export async function until(what: string, ok: () => boolean, limitMs = 20_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
