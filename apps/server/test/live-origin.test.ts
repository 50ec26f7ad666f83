import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { addUser, createApiKey } from '../src/access/credentials';
import { build, type TestApp } from './helper';

/**
 * A cookie-authenticated live feed upgrade must come from this server's own origin: anything
 * else is a cross-site WebSocket hijacking attempt and gets a 403 that says why, never a 500.
 */
const PASSWORD = 'correct horse battery staple';
const t = await build();
const proxied = await build({ trustProxy: true });
const port = new URL(t.url).port;

async function sessionCookie(app: TestApp): Promise<string> {
  await addUser(app.db, 'watcher@example.com', 'auditor', PASSWORD);
  const loggedIn = await app.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email: 'watcher@example.com', password: PASSWORD },
  });
  return String(loggedIn.headers['set-cookie']).split(';')[0]!;
}
const cookie = await sessionCookie(t);
const proxiedCookie = await sessionCookie(proxied);

interface Outcome {
  status: number;
  body: { code?: string; message?: string };
}

/** Attempts the upgrade; resolves with the refusal, or status 101 once open (then closes). */
function upgrade(headers: Record<string, string>, server: TestApp = t): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/api/v1/live`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ status: 101, body: {} });
    });
    ws.once('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Outcome['body']) : {} }));
    });
    ws.once('error', reject);
  });
}

describe('live feed and the Origin header', () => {
  it('opens for the same origin, and without an Origin (not a browser)', async () => {
    expect((await upgrade({ cookie, origin: `http://127.0.0.1:${port}` })).status).toBe(101);
    expect((await upgrade({ cookie })).status).toBe(101);
  });

  it.each([
    ['null', 'null'],
    ['empty', ''],
    ['malformed', 'not a url'],
    ['malformed with a space', 'http://exa mple.com'],
    ['another site', 'https://evil.example'],
    ['another port', 'http://127.0.0.1:1'],
    ['no port', 'http://127.0.0.1'],
    ['another scheme', `https://127.0.0.1:${'PORT'}`],
    ['a ws: origin', `ws://127.0.0.1:${'PORT'}`],
    ['a file: origin', 'file:///etc/passwd'],
    ['another name for the host', `http://localhost:${'PORT'}`],
    ['a path after the origin', `http://127.0.0.1:${'PORT'}/x`],
    ['credentials in the origin', `http://u:p@127.0.0.1:${'PORT'}`],
  ])('refuses %s (%j) with 403 and a reason', async (_what, origin) => {
    const res = await upgrade({ cookie, origin: origin.replace('PORT', port) });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('PLUMBLINE_ERR_CROSS_ORIGIN');
    expect(res.body.message).toMatch(/origin/i);
    expect(res.body.message).toContain(`http://127.0.0.1:${port}`);
  });

  it('behind a trusted proxy, takes the scheme and host the proxy reports', async () => {
    const viaProxy = { cookie: proxiedCookie, 'x-forwarded-proto': 'https', 'x-forwarded-host': 'plumbline.example.com' };
    expect((await upgrade({ ...viaProxy, origin: 'https://plumbline.example.com' }, proxied)).status).toBe(101);
    const refused = await upgrade({ ...viaProxy, origin: 'http://plumbline.example.com' }, proxied);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toContain('only https://plumbline.example.com may open');
  });

  it('does not judge the Origin of an API key (a browser cannot send one on a WebSocket)', async () => {
    const key = await createApiKey(t.db, 'cli', 'auditor');
    expect((await upgrade({ authorization: `Bearer ${key}`, origin: 'null' })).status).toBe(101);
  });

  it('still answers 401 before looking at the Origin when there is no credential', async () => {
    expect((await upgrade({ origin: 'null' })).status).toBe(401);
  });
});
