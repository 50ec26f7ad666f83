import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { addUser, createApiKey } from '../src/access/credentials';
import { registerUserCommands } from '../src/cli/access';
import type { Database } from '../src/db/open';
import { build } from './helper';

const PASSWORD = 'correct horse battery staple';
const NEW_PASSWORD = 'a different long passphrase';
const t = await build();
const adminKey = await createApiKey(t.db, 'tests', 'admin');
const operatorKey = await createApiKey(t.db, 'ops', 'operator');
const opsId = await addUser(t.db, 'ops@example.com', 'operator', PASSWORD);
const adminId = await addUser(t.db, 'root@example.com', 'admin', PASSWORD);

interface Session {
  cookie: string;
  csrf: string;
  mustChangePassword: boolean;
}

// Each sign-in from its own address: these tests are about passwords, not the sign-in throttle.
let client = 0;
async function signIn(email: string, password: string): Promise<Session | number> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress: `10.3.0.${++client}`,
  });
  if (res.statusCode !== 200) return res.statusCode;
  return {
    cookie: String(res.headers['set-cookie']).split(';')[0]!,
    csrf: res.json().csrfToken,
    mustChangePassword: res.json().mustChangePassword,
  };
}
async function session(email: string, password: string): Promise<Session> {
  const s = await signIn(email, password);
  if (typeof s === 'number') throw new Error(`sign-in of ${email} answered ${s}`);
  return s;
}
const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });
const whoami = async (s: Session) =>
  (await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: s.cookie } })).statusCode;
const change = (s: Session, currentPassword: string, newPassword: string) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/session/password',
    headers: as(s),
    payload: { currentPassword, newPassword },
    remoteAddress: '10.4.0.1',
  });
const reset = (id: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'POST', url: `/api/v1/users/${id}/password-reset`, headers });
const auditActions = async (target: string) =>
  (await t.db.prisma.auditEntry.findMany({ where: { target }, orderBy: { seq: 'asc' } })).map((e) => e.action);

/** The real `user` subcommands on the test database; what they print comes back. */
async function cli(stdin: string, ...args: string[]): Promise<string> {
  const program = new Command('plumbline').exitOverride().configureOutput({ writeErr: () => undefined, writeOut: () => undefined });
  const withDb = <T>(fn: (db: Database) => Promise<T>) => fn(t.db);
  registerUserCommands(program.command('user'), withDb, async () => stdin);
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await program.parseAsync(['node', 'plumbline', 'user', ...args]);
  } finally {
    spy.mockRestore();
  }
  return out.join('');
}
afterEach(() => void vi.restoreAllMocks());

describe("changing one's own password", { timeout: 120_000 }, () => {
  it('needs the current password; a wrong one, a weak or an unchanged new one change nothing', async () => {
    const s = await session('ops@example.com', PASSWORD);
    const wrong = await change(s, 'not my password', NEW_PASSWORD);
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().code).toBe('PLUMBLINE_ERR_WRONG_PASSWORD');
    const weak = await change(s, PASSWORD, 'short');
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toMatch(/newPassword/);
    expect((await change(s, PASSWORD, PASSWORD)).statusCode).toBe(400);
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: { cookie: s.cookie },
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(noCsrf.statusCode).toBe(403);
    const byKey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/session/password',
      headers: { authorization: `Bearer ${operatorKey}` },
      payload: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(byKey.statusCode).toBe(403);
    expect(await whoami(s)).toBe(200);
    expect(typeof (await signIn('ops@example.com', PASSWORD))).toBe('object');
  });

  it('ends every other session of the user, keeps the one that changed it, and is audited', async () => {
    const here = await session('ops@example.com', PASSWORD);
    const elsewhere = await session('ops@example.com', PASSWORD);
    const res = await change(here, PASSWORD, NEW_PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { email: 'ops@example.com' }, mustChangePassword: false });
    expect(await whoami(here)).toBe(200);
    expect(await whoami(elsewhere)).toBe(401);
    expect(await signIn('ops@example.com', PASSWORD)).toBe(401);
    expect(typeof (await signIn('ops@example.com', NEW_PASSWORD))).toBe('object');
    expect(await auditActions('ops@example.com')).toContain('user.password.change');
  });
});

describe('an admin resetting a password', { timeout: 120_000 }, () => {
  it("is for admins only, not for one's own account, and 404s an unknown user", async () => {
    expect((await reset(opsId, { authorization: `Bearer ${operatorKey}` })).statusCode).toBe(403);
    const admin = await session('root@example.com', PASSWORD);
    const own = await reset(adminId, as(admin));
    expect(own.statusCode).toBe(400);
    expect(own.json().message).toMatch(/session\/password/);
    expect((await reset('00000000-0000-4000-8000-000000000000', { authorization: `Bearer ${adminKey}` })).statusCode).toBe(404);
  });

  it('ends every session, and the one-time password lets the user do nothing but choose a new one', async () => {
    const before = [await session('ops@example.com', NEW_PASSWORD), await session('ops@example.com', NEW_PASSWORD)];
    const admin = await session('root@example.com', PASSWORD);
    const res = await reset(opsId, as(admin));
    expect(res.statusCode).toBe(200);
    const { temporaryPassword, sessionsEnded } = res.json();
    expect(sessionsEnded).toBeGreaterThanOrEqual(2);
    for (const s of before) expect(await whoami(s)).toBe(401);
    expect(await signIn('ops@example.com', NEW_PASSWORD)).toBe(401);
    expect((await auditActions('ops@example.com')).at(-1)).toBe('user.password.reset');

    const forced = await session('ops@example.com', temporaryPassword);
    expect(forced.mustChangePassword).toBe(true);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: forced.cookie } })).json().mustChangePassword,
    ).toBe(true);
    for (const url of ['/api/v1/hosts', '/api/v1/summary', '/api/v1/audit']) {
      const refused = await t.app.inject({ method: 'GET', url, headers: { cookie: forced.cookie } });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().code).toBe('PLUMBLINE_ERR_PASSWORD_CHANGE_REQUIRED');
    }
    const live = await liveStatus(forced.cookie);
    expect(live).toBe(403);

    expect((await change(forced, temporaryPassword, PASSWORD)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/hosts', headers: { cookie: forced.cookie } })).statusCode).toBe(200);
    expect(await signIn('ops@example.com', temporaryPassword)).toBe(401);
  });
});

describe('the CLI', { timeout: 120_000 }, () => {
  it('user passwd sets a password and ends the sessions; a weak one changes nothing', async () => {
    const s = await session('ops@example.com', PASSWORD);
    await expect(cli('short', 'passwd', 'ops@example.com', '--password-stdin')).rejects.toMatchObject({
      code: 'PLUMBLINE_ERR_BAD_REQUEST',
    });
    expect(await whoami(s)).toBe(200);
    await expect(cli(NEW_PASSWORD, 'passwd', 'nobody@example.com', '--password-stdin')).rejects.toMatchObject({
      code: 'PLUMBLINE_ERR_NOT_FOUND',
    });
    await cli(NEW_PASSWORD, 'passwd', 'ops@example.com', '--password-stdin');
    expect(await whoami(s)).toBe(401);
    const again = await session('ops@example.com', NEW_PASSWORD);
    expect(again.mustChangePassword).toBe(false);
    expect((await auditActions('ops@example.com')).at(-1)).toBe('user.password.set');
  });

  it('user reset-password prints a one-time password that forces a change', async () => {
    const temporary = (await cli('', 'reset-password', 'ops@example.com')).trim();
    expect(temporary.length).toBeGreaterThanOrEqual(20);
    expect(await signIn('ops@example.com', NEW_PASSWORD)).toBe(401);
    expect((await session('ops@example.com', temporary)).mustChangePassword).toBe(true);
  });
});

/** The HTTP status a live-feed upgrade with this cookie gets (101 when it opens). */
function liveStatus(cookie: string): Promise<number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/api/v1/live`, { headers: { cookie } });
    ws.on('open', () => (ws.close(), resolve(101)));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}
