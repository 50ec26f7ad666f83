import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { addUser } from '../src/access/credentials';
import { buildApp } from '../src/app';
import { postgresBus } from '../src/live/bus';
import { openDatabase } from '../src/db/open';
import { clientOf, LOGIN_DELAY, LoginThrottle } from '../src/plugins/app/throttle';
import { build, onPostgres } from './helper';

/**
 * Sign-in throttling under parallel requests over real HTTP. The server trusts
 * X-Forwarded-For here (as behind a proxy), so one test process can speak as many clients.
 */
const PASSWORD = 'correct horse battery staple';
const t = await build({ trustProxy: true });

interface Answer {
  status: number;
  retryAfter: string | null;
  code: string | undefined;
}

async function login(base: string, email: string, password: string, client: string): Promise<Answer> {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ email, password }),
  });
  const body = (await res.json()) as { code?: string };
  return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.code };
}

const count = (answers: Answer[], status: number) => answers.filter((a) => a.status === status).length;
// Five attempts pass at once; then one per doubling delay (30 s, 60 s, 2 min...): a burst
// shorter than 30 s gets 5 password checks, one shorter than 15 minutes at most 10.
const BURST_CHECKS = 10;
// With an hour's first delay, the reservation alone decides: exactly the free attempts pass.
const SLOW = { ...LOGIN_DELAY, firstDelaySeconds: 3600, maxDelaySeconds: 3600 };

describe('attempt reservation (the database statement itself)', { timeout: 120_000 }, () => {
  it('reserves exactly 5 of 40 parallel attempts on one account and client', async () => {
    const throttle = new LoginThrottle(t.db.prisma, SLOW);
    const waits = await Promise.all(Array.from({ length: 40 }, () => throttle.reserve('race@example.com', '198.51.100.1')));
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    for (const w of waits.filter((x) => x > 0)) expect(w).toBeGreaterThan(3000);
    // Another client is not held back, and a success forgets the key.
    expect(await throttle.reserve('race@example.com', '198.51.100.2')).toBe(0);
    await throttle.clear('RACE@example.com', '198.51.100.1');
    expect(await throttle.reserve('race@example.com', '198.51.100.1')).toBe(0);
  });

  it.runIf(onPostgres)('reserves exactly 5 of 40 split over two connections pools (two replicas)', async () => {
    const other = await openDatabase({ ...t.app.config, log: pino({ level: 'silent' }) });
    try {
      const [a, b] = [new LoginThrottle(t.db.prisma, SLOW), new LoginThrottle(other.prisma, SLOW)];
      const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).reserve('pair@example.com', '198.51.100.3')));
      expect(waits.filter((w) => w === 0)).toHaveLength(5);
    } finally {
      await other.close();
    }
  });
});

describe('sign-in throttle under parallel guesses', { timeout: 120_000 }, () => {
  it('checks at most 10 of 40 parallel guesses on one account from one client; the rest get 429 with Retry-After', async () => {
    await addUser(t.db, 'ops@example.com', 'admin', PASSWORD);
    // The right password is the 37th guess, as an attacker's list might have it.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => login(t.url, 'ops@example.com', i === 36 ? PASSWORD : `wrong guess ${i}`, '198.51.100.7')),
    );
    const checked = count(answers, 401) + count(answers, 200);
    expect(checked).toBeGreaterThanOrEqual(1);
    expect(checked).toBeLessThanOrEqual(BURST_CHECKS);
    expect(count(answers, 429)).toBe(40 - checked);
    for (const a of answers.filter((x) => x.status === 429)) {
      expect(a.code).toBe('PLUMBLINE_ERR_THROTTLED');
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
    }
  });

  it('lets the account owner in from another client while the guessing client is throttled', async () => {
    const again = await login(t.url, 'ops@example.com', PASSWORD, '198.51.100.7');
    expect(again.status).toBe(429);
    const owner = await login(t.url, 'ops@example.com', PASSWORD, '203.0.113.20');
    expect(owner.status).toBe(200);
  });

  it('gives one client a budget of sign-in requests across accounts; other clients keep theirs', async () => {
    // 25 parallel requests from one address: 20 (the budget a minute) reach the account's
    // delay, 5 are refused by the budget at once.
    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => login(t.url, 'ops@example.com', `guess ${i}`, '192.0.2.99')));
    const refused = burst.filter((a) => a.status === 429 && a.code === 'PLUMBLINE_ERR_THROTTLED' && Number(a.retryAfter) > 0);
    expect(refused.length).toBeGreaterThanOrEqual(25 - BURST_CHECKS);
    // Spent: a fresh account from that address is refused too, with the budget's reason ...
    const res = await fetch(`${t.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': '192.0.2.99' },
      body: JSON.stringify({ email: 'someone.else@example.com', password: 'spray' }),
    });
    expect(res.status).toBe(429);
    expect(((await res.json()) as { message: string }).message).toMatch(/from this address/);
    // ... while another address signs in.
    expect((await login(t.url, 'ops@example.com', PASSWORD, '203.0.113.21')).status).toBe(200);
  });
});

describe.runIf(onPostgres)('sign-in throttle across two replicas (PostgreSQL)', { timeout: 120_000 }, () => {
  it('holds when 40 parallel guesses are split over two servers on one database', async () => {
    await addUser(t.db, 'twice@example.com', 'operator', PASSWORD);
    const log = pino({ level: 'silent' });
    const db = await openDatabase({ ...t.app.config, log });
    const bus = await postgresBus(db.pool!, log);
    const second = await buildApp({ config: { ...t.app.config, trustProxy: true }, db, bus, log });
    try {
      const url = await second.listen({ port: 0, host: '127.0.0.1' });
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => login(i % 2 ? url : t.url, 'twice@example.com', `wrong ${i}`, '198.51.100.8')),
      );
      expect(count(answers, 401)).toBeLessThanOrEqual(BURST_CHECKS);
      expect(count(answers, 429)).toBe(40 - count(answers, 401));
    } finally {
      await second.close();
      await bus.close();
      await db.close();
    }
  });
});

describe('who counts as one client', () => {
  it('is an IPv4 address, or an IPv6 /64 however it is written', async () => {
    expect(clientOf('192.0.2.1')).toBe('192.0.2.1');
    expect(clientOf('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(clientOf('2001:db8:1:2::1')).toBe(clientOf('2001:0db8:0001:0002:ffff:0:0:7'));
    expect(clientOf('2001:db8:1:2::1')).not.toBe(clientOf('2001:db8:1:3::1'));
    // Rotating addresses inside one /64 gains no fresh attempts.
    const throttle = new LoginThrottle(t.db.prisma, SLOW);
    const waits = await Promise.all(
      Array.from({ length: 20 }, (_, i) => throttle.reserve('v6@example.com', `2001:db8:5:6::${(i + 1).toString(16)}`)),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
  });
});
