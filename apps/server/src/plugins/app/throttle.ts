import { createHash } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { clearLoginAttempts, loginAttemptWait, pruneLoginAttempts, reserveLoginAttempt } from '../../access/repository';
import type { DbClient } from '../../db/open';

/**
 * Progressive delay for password checks, per account AND client address. The first
 * `free` attempts of a key pass at once; after that each one waits `firstDelaySeconds`,
 * doubling per attempt up to `maxDelaySeconds`, counted from the key's previous attempt.
 * A key is forgotten `forgetAfterSeconds` after its last attempt, or at a success.
 * Keyed by client too, so a guessing client slows only itself: the owner signing in
 * from elsewhere is not locked out (the per-address budget bounds guessing across accounts).
 */
export interface LoginDelay {
  free: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
  forgetAfterSeconds: number;
}
export const LOGIN_DELAY: Readonly<LoginDelay> = { free: 5, firstDelaySeconds: 30, maxDelaySeconds: 15 * 60, forgetAfterSeconds: 60 * 60 };

const PRUNE_EVERY = 500;

/**
 * An attempt is reserved in the database, in one statement, BEFORE its password is checked:
 * parallel guesses (on any number of replicas) serialise on the key's row, and only those
 * the delay allows get a password check. Failed checks need no second write: the attempt
 * was counted when reserved.
 */
export class LoginThrottle {
  private reservations = 0;

  constructor(
    private readonly prisma: DbClient,
    private readonly delay: Readonly<LoginDelay> = LOGIN_DELAY,
  ) {}

  /** Reserves one attempt: 0 when it may go ahead, else the seconds until the next may. */
  async reserve(account: string, client: string): Promise<number> {
    const key = keyOf(account, client);
    if (++this.reservations % PRUNE_EVERY === 0) await this.prune();
    if (await reserveLoginAttempt(this.prisma, key, this.delay)) return 0;
    return Math.max(1, (await loginAttemptWait(this.prisma, key, this.delay)) ?? 1);
  }

  /** A correct password forgets the key's earlier attempts. */
  async clear(account: string, client: string): Promise<void> {
    await clearLoginAttempts(this.prisma, keyOf(account, client));
  }

  /** Drops keys nobody tried for `forgetAfterSeconds` (unknown emails would pile up otherwise). */
  async prune(): Promise<number> {
    return pruneLoginAttempts(this.prisma, this.delay.forgetAfterSeconds);
  }
}

/** Hashed, so the table keeps no typed email addresses or client addresses. */
function keyOf(account: string, client: string): string {
  return createHash('sha256')
    .update(`${account.trim().toLowerCase()}\n${clientOf(client)}`)
    .digest('hex');
}

/**
 * One client per IPv4 address, and per IPv6 /64: a single host usually holds a whole /64,
 * and must not get a fresh allowance for each address in it.
 */
export function clientOf(address: string): string {
  if (!ipaddr.isValid(address)) return address;
  const ip = ipaddr.process(address); // IPv4-mapped IPv6 becomes the IPv4 address
  if (ip.kind() === 'ipv4') return ip.toString();
  return `${(ip as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}
