import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey, createEnrollmentToken } from '../src/admin';
import { buildApp } from '../src/app';
import { memoryBus, postgresBus } from '../src/live/bus';
import { hello, TestAgent } from './agent-client';
import { freshDatabase } from './helper';

// Built by hand rather than with build(): the test itself closes the app.
const tdb = await freshDatabase();
const db = await tdb.open();
const log = pino({ level: 'silent' });
const bus = db.pool ? await postgresBus(db.pool, log) : memoryBus();
const app = await buildApp({ config: tdb.config, db, bus, log });
const url = await app.listen({ port: 0, host: '127.0.0.1' });
afterAll(async () => {
  await app.close();
  await bus.close();
  await db.close();
  await tdb.drop();
});

describe('graceful shutdown', () => {
  it('closes agent and live sockets with 1001 so that they reconnect', async () => {
    const agent = await TestAgent.connect(url, await createEnrollmentToken(db, { name: 'shutdown' }));
    agent.send(hello('web-1'));
    await agent.next('welcome');
    const key = await createApiKey(db, 'viewer', 'auditor');
    const live = new WebSocket(`${url.replace(/^http/, 'ws')}/api/v1/live`, { headers: { authorization: `Bearer ${key}` } });
    await new Promise((resolve, reject) => live.once('open', resolve).once('error', reject));
    const liveClosed = new Promise<{ code: number; reason: string }>((resolve) => live.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));

    await app.close();
    expect(await agent.waitClose()).toEqual({ code: 1001, reason: 'server shutting down' });
    expect(await liveClosed).toEqual({ code: 1001, reason: 'server shutting down' });
  });
});
