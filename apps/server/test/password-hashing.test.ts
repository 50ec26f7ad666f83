import { describe, expect, it } from 'vitest';
import { addUser } from '../src/access/credentials';
import { passwordHashQueue } from '../src/crypto';
import { build } from './helper';

/**
 * Password hashes (scrypt, 128 MiB each) go through one bounded queue: a burst of sign-ins
 * for unknown accounts, each from its own address (so neither the per-address budget nor the
 * per-account delay stops them), hashes at most `concurrency` at once; the excess is refused.
 */
const t = await build({ trustProxy: true, passwordHashing: { concurrency: 2, maxWaiting: 4 } });
await addUser(t.db, 'ops@example.com', 'operator', 'correct horse battery staple');

const login = (email: string, password: string, client: string) =>
  fetch(`${t.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': client },
    body: JSON.stringify({ email, password }),
  }).then(async (r) => ({
    status: r.status,
    retryAfter: r.headers.get('retry-after'),
    body: (await r.json()) as { code: string; message: string },
  }));

describe('password hashing under a burst', { timeout: 120_000 }, () => {
  it('never hashes more than 2 at once for 100 parallel unknown-account sign-ins; the excess gets 429 with Retry-After', async () => {
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) => login(`nobody${i}@example.net`, `whatever ${i}`, `10.9.${i >> 8}.${i & 255}`)),
    );
    const queue = passwordHashQueue();
    expect(queue.concurrency).toBe(2);
    expect(queue.peak).toBeLessThanOrEqual(2);
    expect(answers.every((a) => a.status === 401 || a.status === 429)).toBe(true);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) {
      expect(a.body.code).toBe('PLUMBLINE_ERR_THROTTLED');
      expect(Number(a.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(answers.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(2);
  });

  it('answers an unknown account exactly as a wrong password, after a hash of the same cost', async () => {
    const before = passwordHashQueue().size;
    expect(before).toEqual({ running: 0, waiting: 0 });
    const unknown = await login('nobody@example.net', 'not the password', '10.8.0.1');
    const wrong = await login('ops@example.com', 'not the password', '10.8.0.2');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });
});
