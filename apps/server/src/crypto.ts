import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { BoundedQueue, QueueFull } from './bounded-queue';
import { AppError, ErrorCode } from './errors';

/**
 * Secrets handed out by the server: API keys, enrollment tokens, agent credentials.
 * They are 256-bit random, so a fast hash is enough to store them; the readable prefix
 * tells an operator what kind of secret they are looking at.
 */
export const SecretKind = { apiKey: 'plk', enrollment: 'ple', agent: 'pla', session: 'pls' } as const;
export type SecretKind = (typeof SecretKind)[keyof typeof SecretKind];

export function newSecret(kind: SecretKind): { secret: string; prefix: string; hash: string } {
  const secret = `${kind}_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 10), hash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretKind(secret: string): SecretKind | null {
  const kind = secret.slice(0, 3);
  return secret[3] === '_' && Object.values(SecretKind).includes(kind as SecretKind) ? (kind as SecretKind) : null;
}

// Passwords: scrypt with OWASP's recommended cost (N=2^17, r=8, p=1; 128 MiB).
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };
const KEY_LEN = 32;

/**
 * Every password hash of the process goes through one bounded queue: each holds 128 MiB
 * while it runs, so a burst of sign-ins (for any accounts, known or not) holds at most
 * `concurrency` of them; up to `maxWaiting` wait, the rest are refused with 429 and Retry-After.
 */
export const PASSWORD_HASHING = { concurrency: 2, maxWaiting: 16 };
let queue = new BoundedQueue(PASSWORD_HASHING.concurrency, PASSWORD_HASHING.maxWaiting);

export function configurePasswordHashing(opts: { concurrency: number; maxWaiting: number }): void {
  if (opts.concurrency !== queue.concurrency || opts.maxWaiting !== queue.maxWaiting)
    queue = new BoundedQueue(opts.concurrency, opts.maxWaiting);
}

/** The queue in use (its peak and refusal counts are what tests and metrics read). */
export function passwordHashQueue(): BoundedQueue {
  return queue;
}

async function scryptAsync(password: string, salt: Buffer, params = SCRYPT): Promise<Buffer> {
  try {
    return await queue.run(
      () =>
        new Promise<Buffer>((resolve, reject) =>
          scrypt(password.normalize('NFKC'), salt, KEY_LEN, params, (err, key) => (err ? reject(err) : resolve(key))),
        ),
    );
  } catch (err) {
    if (err instanceof QueueFull) {
      throw new AppError(ErrorCode.throttled, `too many passwords being checked at once; try again in ${err.retryAfterSeconds} s`, {
        'retry-after': String(err.retryAfterSeconds),
      });
    }
    throw err;
  }
}

/** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that costs as much as a real one, so unknown emails take as long as wrong passwords. */
export const DUMMY_PASSWORD_HASH = 'scrypt$131072$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
