import { Command } from 'commander';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addUser, createApiKey } from '../src/access/credentials';
import { registerApiKeyCommands } from '../src/cli/access';
import type { Database } from '../src/db/open';
import { build, onPostgres } from './helper';

/**
 * A live feed socket lives no longer than the credential it was opened with: revoking the
 * API key, logging out, disabling the user, or the key or session expiring closes it (4401),
 * while sockets of other credentials stay open.
 */
const PASSWORD = 'correct horse battery staple';
const t = await build();
const admin = await createApiKey(t.db, 'admin', 'admin');
const sockets: WebSocket[] = [];

afterAll(() => {
  for (const s of sockets) s.terminate();
});

async function openLive(headers: Record<string, string>): Promise<WebSocket> {
  const ws = new WebSocket(`${t.url.replace(/^http/, 'ws')}/api/v1/live`, { headers });
  sockets.push(ws);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return ws;
}

/** Resolves with the close code, or fails after `ms`. */
function closed(ws: WebSocket, ms = 10_000): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still open after ${ms} ms`)), ms);
    ws.once('close', (code: number, reason: Buffer) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString() });
    });
  });
}

/** The socket still answers: a ping comes back as a pong. */
function alive(ws: WebSocket, ms = 5000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no pong within ${ms} ms`)), ms);
    ws.once('pong', () => {
      clearTimeout(timer);
      resolve(true);
    });
    ws.ping();
  });
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const call = (method: 'DELETE' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
  t.app.inject({ method, url, headers, ...(payload && { payload }) });

async function login(email: string): Promise<{ cookie: string; csrf: string }> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: PASSWORD } });
  expect(res.statusCode).toBe(200);
  return { cookie: String(res.headers['set-cookie']).split(';')[0]!, csrf: res.json().csrfToken as string };
}

describe('live feed sockets and revoked credentials', () => {
  it('closes the socket of an API key revoked through the API, and only that one', async () => {
    const doomed = await createApiKey(t.db, 'doomed', 'auditor');
    const keyId = (await t.db.prisma.apiKey.findFirstOrThrow({ where: { name: 'doomed' } })).id;
    const revokedWs = await openLive(bearer(doomed));
    const otherWs = await openLive(bearer(admin));
    const gone = closed(revokedWs);

    expect((await call('DELETE', `/api/v1/api-keys/${keyId}`, bearer(admin))).statusCode).toBe(204);
    expect(await gone).toEqual({ code: 4401, reason: 'credentials revoked' });
    expect(await alive(otherWs)).toBe(true);
    // And it cannot come back.
    await expect(openLive(bearer(doomed))).rejects.toThrow(/401/);
  });

  it.skipIf(!onPostgres)(
    'closes the socket of a key revoked with `plumbline apikey revoke` (PostgreSQL: the CLI is another process)',
    async () => {
      const doomed = await createApiKey(t.db, 'doomed-cli', 'auditor');
      const keyId = (await t.db.prisma.apiKey.findFirstOrThrow({ where: { name: 'doomed-cli' } })).id;
      const ws = await openLive(bearer(doomed));
      const gone = closed(ws);
      const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
      registerApiKeyCommands(program.command('apikey'), <T>(fn: (db: Database) => Promise<T>) => fn(t.db));
      await program.parseAsync(['node', 'plumbline', 'apikey', 'revoke', keyId]);
      expect((await gone).code).toBe(4401);
    },
  );

  it('closes the socket of a session that logs out, not the same user’s other session', async () => {
    await addUser(t.db, 'viewer@example.com', 'auditor', PASSWORD);
    const first = await login('viewer@example.com');
    const second = await login('viewer@example.com');
    const firstWs = await openLive({ cookie: first.cookie });
    const secondWs = await openLive({ cookie: second.cookie });
    const gone = closed(firstWs);

    expect((await call('DELETE', '/api/v1/session', { cookie: first.cookie, 'x-csrf-token': first.csrf })).statusCode).toBe(204);
    expect(await gone).toEqual({ code: 4401, reason: 'credentials revoked' });
    expect(await alive(secondWs)).toBe(true);
  });

  it('closes every socket of a user who is disabled', async () => {
    await addUser(t.db, 'leaver@example.com', 'operator', PASSWORD);
    const s = await login('leaver@example.com');
    const ws = await openLive({ cookie: s.cookie });
    const gone = closed(ws);
    const userId = (await t.db.prisma.user.findUniqueOrThrow({ where: { email: 'leaver@example.com' } })).id;

    expect((await call('PATCH', `/api/v1/users/${userId}`, bearer(admin), { disabled: true })).statusCode).toBe(200);
    expect((await gone).code).toBe(4401);
    await expect(openLive({ cookie: s.cookie })).rejects.toThrow(/401/);
  });
});

describe('live feed sockets and expiring credentials', () => {
  // Long enough to open the socket while the credential is still valid, short enough to wait for.
  const SOON_MS = 3000;

  it('closes the socket of an API key when the key expires, and only that one', async () => {
    const expiring = await createApiKey(t.db, 'short-lived', 'auditor', 'test', { expiresAt: new Date(Date.now() + SOON_MS) });
    const ws = await openLive(bearer(expiring));
    const otherWs = await openLive(bearer(admin));
    expect(await closed(ws, SOON_MS + 10_000)).toEqual({ code: 4401, reason: 'credentials expired' });
    expect(await alive(otherWs)).toBe(true);
    await expect(openLive(bearer(expiring))).rejects.toThrow(/401/);
  });

  it('closes the socket of a session when the session expires', async () => {
    await addUser(t.db, 'brief@example.com', 'auditor', PASSWORD);
    const s = await login('brief@example.com');
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email: 'brief@example.com' } });
    await t.db.prisma.session.updateMany({ where: { userId: user.id }, data: { expiresAt: new Date(Date.now() + SOON_MS) } });
    const ws = await openLive({ cookie: s.cookie });
    expect(await closed(ws, SOON_MS + 10_000)).toEqual({ code: 4401, reason: 'credentials expired' });
  });

  it('keeps the socket of a key without expiry open', async () => {
    const lasting = await createApiKey(t.db, 'lasting', 'auditor');
    const ws = await openLive(bearer(lasting));
    expect(await alive(ws)).toBe(true);
  });
});
