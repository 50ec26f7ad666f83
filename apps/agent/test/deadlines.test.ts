import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { inProcessWork } from '../src/collection/in-process';
import { AgentRunner } from '../src/runner';
import { Backoff } from '../src/transport/backoff';
import type { Deadlines } from '../src/transport/link';
import { FIXTURE, hostileServer, until, VALID_CREDENTIAL, type Hostile, type Script } from './hostile-server';

/**
 * The deadlines of a connection, against the runner in-process: their real values (20 s to
 * 2 min) would make a process test wait minutes, so these tests shorten them.
 */

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

const SHORT: Deadlines = { upgradeMs: 800, welcomeMs: 500, ackMs: 500, healthyMs: 10_000 };

async function runAgainst(server: Hostile) {
  const dir = await mkdtemp(path.join(tmpdir(), 'plumbline-deadline-'));
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) logs.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  const runner = new AgentRunner({
    server: server.url,
    token: 'ple_deadline-test',
    root: FIXTURE,
    live: false,
    stateDir: path.join(dir, 'state'),
    intervalMs: 60_000,
    log: pino({ level: 'info' }, sink),
    work: inProcessWork(pino({ level: 'silent' })),
    watch: false,
    backoff: new Backoff(20, 80),
    deadlines: SHORT,
  });
  const done = runner.run();
  cleanup.push(async () => {
    runner.stop();
    await done.catch(() => undefined);
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });
  const disconnects = () => logs.filter((l) => l.msg === 'disconnected from the server');
  return { logs, disconnects };
}

describe('deadlines of a connection', () => {
  it('an upgrade reply trickled a byte at a time is cut at the deadline for the whole upgrade', async () => {
    const reply = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\n\r\n';
    const server = await hostileServer(
      () => undefined,
      (socket) => {
        let i = 0;
        const t = setInterval(() => {
          if (socket.destroyed || i >= reply.length) return clearInterval(t);
          socket.write(reply[i++]!);
        }, 200);
        socket.on('close', () => clearInterval(t));
      },
    );
    const { disconnects } = await runAgainst(server);
    await until('a second upgrade', () => server.upgrades >= 2);
    expect(disconnects()[0]?.reason).toMatch(/no WebSocket upgrade within 800 ms/);
  });

  it('a server that never welcomes is dropped and tried again', async () => {
    const server = await hostileServer(() => undefined);
    const { disconnects } = await runAgainst(server);
    await until('a second hello', () => server.of('hello').length >= 2);
    expect(disconnects()[0]).toMatchObject({ code: 4408, reason: 'no welcome within 500 ms' });
  });

  it('a server that never acknowledges is dropped, and the message is sent again', async () => {
    const noAcks: Script = (conn, msg) => {
      if (msg.type === 'hello') conn.welcome({ credential: VALID_CREDENTIAL });
    };
    const server = await hostileServer(noAcks);
    const { disconnects } = await runAgainst(server);
    await until('the snapshot on a second connection', () => server.of('snapshot').some((r) => r.conn === 2));
    expect(disconnects()[0]).toMatchObject({ code: 4408, reason: expect.stringMatching(/^message 1 not acknowledged within 500 ms$/) });
    expect(server.of('snapshot').map((r) => r.seq)).toEqual([1, 1]);
  });

  it('a message answered with a resync is not waiting for an ack: the link stays while the snapshot waits its turn', async () => {
    // Every message is answered with a resync, never an ack: the second resync snapshot waits 30 s at the gate.
    const resyncs: Script = (conn, msg) => {
      if (msg.type === 'hello') conn.welcome({ credential: VALID_CREDENTIAL });
      else if (msg.seq !== undefined) conn.send({ version: 2, type: 'resync', payload: { reason: 'base unknown' } });
    };
    const server = await hostileServer(resyncs);
    const { disconnects, logs } = await runAgainst(server);
    await until('two snapshots', () => server.of('snapshot').length >= 2);
    const asked = () => logs.filter((l) => l.msg === 'server asked for a full snapshot').length;
    await until('the answer to the second snapshot', () => server.received.length >= 3 && asked() >= 1);
    // Three ack deadlines pass; only a link that mistook a resync for silence would drop now.
    await new Promise((r) => setTimeout(r, 3 * SHORT.ackMs));
    expect(disconnects()).toEqual([]);
    expect(server.upgrades).toBe(1);
  });
});
