import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { createApiKey, createEnrollmentToken } from '../../src/access/credentials';
import { delta, hello, hostFacts, snapshot, TestAgent } from '../agent-client';
import { build } from '../helper';

/**
 * A burst of 1,000 upgrades with bad secrets, and slow-upgrade (slowloris) clients that
 * send their request headers a byte at a time and never finish, while a good agent keeps
 * streaming and a dashboard keeps asking. Every bad secret is refused at the upgrade with
 * 401 (no socket, nothing stored), and the good agent and /healthz keep being answered.
 * Times are measured and printed, not asserted, beyond "answered at all within 10 s".
 */
const { app, db, url } = await build();
const port = Number(new URL(url).port);

/** One upgrade attempt; resolves with the HTTP status it was refused with (or 101). */
function attempt(secret: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/agent/v1/ws`, {
      headers: { Authorization: `Bearer ${secret}` },
      handshakeTimeout: 20_000,
    });
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => {
      resolve(101);
      ws.terminate();
    });
    ws.once('error', () => resolve(0));
  });
}

/** Bad secrets of every shape: well-formed but unknown agent credentials and tokens, API keys, garbage. */
function badSecret(i: number): string {
  const r = randomBytes(24).toString('base64url');
  return [`pla_${r}`, `ple_${r}`, `plk_${r}`, r, `pla_${'A'.repeat(4000)}`][i % 5] as string;
}

/** A client that sends an upgrade request's headers one byte per 200 ms, never finishing. */
function slowloris(): { socket: Socket; stop: () => void } {
  const request = `GET /agent/v1/ws HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nX-Slow: ${'a'.repeat(10_000)}`;
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  let i = 0;
  const timer = setInterval(() => {
    if (!socket.destroyed) socket.write(request[i++ % request.length] as string);
  }, 200);
  return { socket, stop: () => (clearInterval(timer), socket.destroy()) };
}

async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - t0 };
}

describe('hostile clients at the agent gateway', () => {
  it('refuse 1,000 bad secrets and hold slow upgrades without starving a good agent or /healthz', { timeout: 90_000 }, async () => {
    const headers = { authorization: `Bearer ${await createApiKey(db, 'hostile', 'admin')}` };
    const good = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'good' }));
    good.send(hello('good-host'));
    await good.next('welcome');
    let facts = hostFacts('good-host', 'no');
    good.send(snapshot(1, facts));
    await good.next('ack');

    const slow = Array.from({ length: 50 }, slowloris);
    const burst = Promise.all(Array.from({ length: 1000 }, (_, i) => attempt(badSecret(i))));

    // While the burst and the slow clients are on: the good agent changes and is acknowledged, /healthz answers.
    const ackTimes: number[] = [];
    const healthTimes: number[] = [];
    for (let seq = 2; seq <= 11; seq++) {
      const next = hostFacts('good-host', seq % 2 ? 'no' : 'yes');
      const ack = await timed(async () => {
        good.send(delta(seq, facts, next));
        return good.next('ack', 10_000);
      });
      expect(ack.value.seq).toBe(seq);
      ackTimes.push(ack.ms);
      facts = next;
      const health = await timed(() => fetch(`${url}/healthz`, { signal: AbortSignal.timeout(10_000) }));
      expect(health.value.status).toBe(200);
      healthTimes.push(health.ms);
    }

    const statuses = await burst;
    const counts = Object.fromEntries([...new Set(statuses)].map((s) => [s, statuses.filter((x) => x === s).length]));
    expect(counts).toEqual({ 401: 1000 });
    // The slow clients are still connected (or were cut by the server); either way they changed nothing.
    const stillOpen = slow.filter((s) => !s.socket.destroyed).length;
    for (const s of slow) s.stop();

    const hosts = (await app.inject({ method: 'GET', url: '/api/v1/hosts', headers })).json();
    expect(hosts.total).toBe(1);
    good.close();
    const max = (xs: number[]) => Math.round(Math.max(...xs));
    // Measured, for the record (not asserted): how long the good agent and /healthz waited.
    process.stderr.write(
      `hostile clients: ack max ${max(ackTimes)} ms, /healthz max ${max(healthTimes)} ms, ${stillOpen}/50 slow upgrades still open\n`,
    );
  });
});
