import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey, createEnrollmentToken } from '../src/admin';
import { hello, TestAgent } from './agent-client';
import { build } from './helper';

// The test closes the app itself; build()'s own close after the file is then a no-op.
const { app, db, url } = await build();

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
