import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { fixtureRoot } from '../test/support/host-trees';
import { inProcessWork } from './collection/in-process';
import { AgentRunner } from './runner';
import { RejectedError } from './transport/connection';
import { Backoff } from './transport/backoff';

/**
 * A stand-in server that refuses the first upgrades with a status (as a server that is
 * starting or shutting down does), then accepts and welcomes the agent. It counts the
 * agent's attempts and how many of its sockets are open at once.
 */
interface Stand {
  url: string;
  attempts: number;
  open: number;
  mostOpen: number;
  received: string[];
  /** Every message as it came. */
  messages: { type: string; seq?: number; payload?: { facts?: Record<string, unknown> } }[];
  close(): Promise<void>;
}

async function standIn(refusals: number, status: number, opts: { resyncOnSnapshot?: boolean } = {}): Promise<Stand> {
  const wss = new WebSocketServer({ noServer: true });
  const server: Server = createServer();
  const stand: Stand = { url: '', attempts: 0, open: 0, mostOpen: 0, received: [], messages: [], close: async () => undefined };
  server.on('upgrade', (req, socket: Socket, head) => {
    stand.attempts += 1;
    if (stand.attempts <= refusals) {
      const body = JSON.stringify({ statusCode: status, code: 'not_now', message: `refused with ${status}` });
      socket.end(
        `HTTP/1.1 ${status} Refused\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
      stand.open += 1;
      stand.mostOpen = Math.max(stand.mostOpen, stand.open);
      ws.on('close', () => (stand.open -= 1));
      ws.on('message', (data: Buffer) => {
        const msg = JSON.parse(data.toString()) as Stand['messages'][number];
        stand.received.push(msg.type);
        stand.messages.push(msg);
        if (msg.type === 'snapshot' && opts.resyncOnSnapshot && stand.received.filter((t) => t === 'snapshot').length === 1) {
          ws.send(JSON.stringify({ version: 1, type: 'ack', seq: msg.seq }));
          ws.send(JSON.stringify({ version: 1, type: 'resync', payload: { reason: 'test' } }));
        }
        if (msg.type === 'hello') {
          ws.send(
            JSON.stringify({
              version: 1,
              type: 'welcome',
              payload: { hostId: 'h-1', lastSeq: 0, digest: null, serverTime: new Date().toISOString() },
            }),
          );
        }
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  stand.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  stand.close = async () => {
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => server.close(() => r()));
  };
  return stand;
}

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

async function agentFor(stand: Stand, root?: string) {
  const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-runner-'));
  const runner = new AgentRunner({
    server: stand.url,
    token: 'ple_test',
    root: root ?? path.join(dir, 'root'),
    live: false,
    stateDir: path.join(dir, 'state'),
    intervalMs: 60_000,
    log: pino({ level: 'silent' }),
    work: inProcessWork(pino({ level: 'silent' })),
    watch: false,
    backoff: new Backoff(20, 80),
  });
  const done = runner.run();
  cleanup.push(async () => {
    runner.stop();
    await done.catch(() => undefined);
    await stand.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { runner, done };
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await settle(20);
  }
}

describe('the agent asked for everything again', () => {
  it('answers a resync with a snapshot of a new collection, every fact in it', async () => {
    const stand = await standIn(0, 503, { resyncOnSnapshot: true });
    await agentFor(stand, fixtureRoot('debian12-default'));
    await until('a second snapshot', () => stand.received.filter((t) => t === 'snapshot').length >= 2);
    const [first, second] = stand.messages.filter((m) => m.type === 'snapshot');
    expect(second!.seq).toBeGreaterThan(first!.seq!);
    expect(Object.keys(second!.payload!.facts!)).toContain('sshd_config');
    expect(Object.keys(second!.payload!.facts!).sort()).toEqual(Object.keys(first!.payload!.facts!).sort());
    expect(second!.payload!.facts).toEqual(first!.payload!.facts);
  });
});

describe('the agent against a server that refuses for a while', () => {
  it('keeps one connection, and one reconnect per refusal', async () => {
    const stand = await standIn(3, 503);
    await agentFor(stand);
    await until('the snapshot', () => stand.received.includes('snapshot'));
    // Ten times the longest reconnect delay: room for any second reconnect loop to show.
    await settle(800);
    expect(stand.attempts).toBe(4);
    expect(stand.mostOpen).toBe(1);
    expect(stand.received.filter((t) => t === 'hello')).toHaveLength(1);
  });

  it('stops at a refused secret with the server reason, and does not try again', async () => {
    const stand = await standIn(1, 401);
    const { done } = await agentFor(stand);
    const err = await done.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RejectedError);
    expect((err as Error).message).toBe('the server rejected the enrollment token: refused with 401');
    await settle(800);
    expect(stand.attempts).toBe(1);
  });
});
