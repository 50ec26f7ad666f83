import { beforeAll, describe, expect, it } from 'vitest';
import { addUser, createApiKey } from '../src/access/credentials';
import { build, type TestApp } from './helper';

const PASSWORD = 'correct horse battery staple';
const t: TestApp = await build();
const adminKey = await createApiKey(t.db, 'tests', 'admin');
const auditorKey = await createApiKey(t.db, 'audit', 'auditor');

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
const cookieOf = (res: { headers: Record<string, unknown> }) => String(res.headers['set-cookie']).split(';')[0]!;

describe('first-run setup', () => {
  it('is offered while no user exists, creates the first admin once, then refuses', async () => {
    expect((await get('/api/v1/setup')).json()).toEqual({ needed: true });
    const weak = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'root@example.com', password: 'short' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().code).toBe('PLUMBLINE_ERR_BAD_REQUEST');
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'Root@Example.com', password: PASSWORD } });
    expect(first.statusCode).toBe(200);
    expect(first.json().user).toMatchObject({ email: 'root@example.com', role: 'admin' });
    const again = await t.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'evil@example.com', password: PASSWORD } });
    expect(again.statusCode).toBe(409);
    expect((await get('/api/v1/setup')).json()).toEqual({ needed: false });
  });
});

describe('API authentication', () => {
  it('refuses requests without credentials or with an unknown key (401, with a code)', async () => {
    const none = await get('/api/v1/hosts');
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('PLUMBLINE_ERR_UNAUTHENTICATED');
    expect((await get('/api/v1/hosts', bearer('plk_forged'))).statusCode).toBe(401);
    expect((await get('/api/v1/hosts', bearer('garbage'))).statusCode).toBe(401);
  });

  it('lists hosts for a valid API key', async () => {
    const res = await get('/api/v1/hosts', bearer(adminKey));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ items: [], total: 0 });
  });

  it('keeps auditors away from administration (403)', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: bearer(auditorKey),
      payload: { name: 'x', role: 'admin' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('PLUMBLINE_ERR_FORBIDDEN');
  });

  it('answers bad query parameters with 400 naming the parameter', async () => {
    const res = await get('/api/v1/hosts?limit=5000', bearer(adminKey));
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/limit/);
    expect((await get('/api/v1/hosts/not-a-uuid', bearer(adminKey))).statusCode).toBe(404);
    expect((await get('/api/v1/hosts/00000000-0000-4000-8000-000000000000', bearer(adminKey))).statusCode).toBe(404);
  });
});

describe('sessions', () => {
  beforeAll(async () => {
    await addUser(t.db, 'ops@example.com', 'operator', PASSWORD);
  });

  const login = (email: string, password: string, ip = '10.0.0.1') =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, remoteAddress: ip });

  it('signs in with an HttpOnly SameSite cookie and a CSRF token, and signs out', async () => {
    const res = await login('ops@example.com', PASSWORD);
    expect(res.statusCode).toBe(200);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const cookie = cookieOf(res);
    const { csrfToken } = res.json();
    expect((await get('/api/v1/session', { cookie })).json().user.email).toBe('ops@example.com');

    const noCsrf = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('PLUMBLINE_ERR_CSRF');
    const out = await t.app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect((await get('/api/v1/session', { cookie })).statusCode).toBe(401);
  });

  it('does not tell unknown accounts from wrong passwords', async () => {
    const unknown = await login('nobody@example.com', PASSWORD, '10.0.0.2');
    const wrong = await login('ops@example.com', 'not the password', '10.0.0.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('slows a guessing client after five failures, even with the right password, but not the owner elsewhere', async () => {
    await addUser(t.db, 'target@example.com', 'operator', PASSWORD);
    for (let i = 0; i < 5; i++) expect((await login('target@example.com', `wrong-${i}`, '10.1.0.1')).statusCode).toBe(401);
    const blocked = await login('target@example.com', PASSWORD, '10.1.0.1');
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('target@example.com', PASSWORD, '10.1.0.99')).statusCode).toBe(200);
  });
});

describe('administration over the API', () => {
  it('creates an enrollment token and a user; refuses a duplicate user with 409', async () => {
    const tok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enrollment-tokens',
      headers: bearer(adminKey),
      payload: { name: 'rack 4', expires: '1h' },
    });
    expect(tok.statusCode).toBe(201);
    expect(tok.json().token).toMatch(/^ple_/);
    const badExpiry = await t.app.inject({
      method: 'POST',
      url: '/api/v1/enrollment-tokens',
      headers: bearer(adminKey),
      payload: { name: 'x', expires: 'tomorrow' },
    });
    expect(badExpiry.statusCode).toBe(400);
    const user = { email: 'new@example.com', role: 'auditor', password: PASSWORD };
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(adminKey), payload: user })).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer(adminKey), payload: user })).statusCode).toBe(409);
  });
});

describe('health', () => {
  it('is ready once the database is migrated', async () => {
    const res = await get('/readyz');
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('ready');
  });

  it('serves an OpenAPI document that lists the hosts API', async () => {
    const doc = (await get('/api/openapi.json')).json();
    expect(Object.keys(doc.paths)).toContain('/api/v1/hosts');
  });
});
