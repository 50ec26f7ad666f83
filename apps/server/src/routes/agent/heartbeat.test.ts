import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { keepAlive } from './heartbeat';

const MS = 40;
const servers: WebSocketServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    for (const c of s.clients) c.terminate();
    s.close();
  }
});

/** A real server-side socket and its client over loopback; `answers`: whether the client's pongs reach the server. */
async function pair(answers = true): Promise<{ server: WebSocket; client: WebSocket }> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  servers.push(wss);
  await once(wss, 'listening');
  // autoPong off on a silent client: a host gone without a FIN.
  const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { autoPong: answers });
  const [server] = (await once(wss, 'connection')) as [WebSocket];
  await once(client, 'open');
  return { server, client };
}

const closedWithin = (ws: WebSocket, ms: number) =>
  Promise.race([once(ws, 'close').then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

describe('keepAlive', () => {
  it('keeps a socket that answers its pings', async () => {
    const { server } = await pair();
    const stop = keepAlive(server, () => false, MS);
    expect(await closedWithin(server, MS * 8)).toBe(false);
    stop();
  });

  it('ends a socket that stops answering within two beats', async () => {
    const { server } = await pair(false);
    const stop = keepAlive(server, () => false, MS);
    expect(await closedWithin(server, MS * 8)).toBe(true);
    stop();
  });

  it('spares a socket the server paused while a message of it waits, and ends it once it is resumed and still silent', async () => {
    const { server, client } = await pair();
    let waiting = true;
    server.pause();
    const stop = keepAlive(server, () => waiting, MS);
    // The pongs sit unread behind the pause for many beats: the socket must stay.
    expect(await closedWithin(server, MS * 8)).toBe(false);
    waiting = false;
    server.resume();
    expect(await closedWithin(server, MS * 8)).toBe(false);
    // Paused and not waiting on anything of ours: the silence is the agent's.
    server.pause();
    expect(await closedWithin(server, MS * 8)).toBe(true);
    stop();
    client.terminate();
  });
});
