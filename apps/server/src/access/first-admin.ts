import { appendAuditInTx } from '../audit/repository';
import type { Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import type { User } from '../generated/prisma/client';
import { AdvisoryLock } from '../db/advisory-locks';

export const setupDone = () => new AppError(ErrorCode.setupDone, 'setup is done: an account exists already');

/** Cheap early answer, before a password is hashed for nothing; `createFirstAdmin` decides. */
export async function setupNeeded(db: Database): Promise<boolean> {
  return (await db.prisma.user.count()) === 0;
}

/**
 * Creates the first admin, only while no account exists. The count and the insert run under
 * the admin advisory lock: in READ COMMITTED, parallel setups each counted zero users and
 * each made an admin; with the lock the second waits, then counts the first. The password is
 * hashed under the lock too, so a burst of setups hashes once (a hash takes 128 MiB), and the
 * others answer 409 without hashing.
 */
export async function createFirstAdmin(db: Database, email: string, hashPassword: () => Promise<string>): Promise<User> {
  return db.prisma.$transaction(
    async (tx) => {
      await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock($1)', AdvisoryLock.admins);
      if ((await tx.user.count()) > 0) throw setupDone();
      const created = await tx.user.create({ data: { email, role: 'admin', passwordHash: await hashPassword() } });
      await appendAuditInTx(tx, {
        actor: `user:${created.email}`,
        action: 'user.create',
        target: created.email,
        details: { role: 'admin', via: 'first-run setup' },
      });
      return created;
    },
    // Waiting for the lock while another setup hashes; a hash can take seconds on a busy machine.
    { maxWait: 30_000, timeout: 60_000 },
  );
}
