import type { Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { insertFirstAdmin, userCount } from './repository';

export const setupDone = () => new AppError(ErrorCode.setupDone, 'setup is done: an account exists already');

/** Cheap early answer, before a password is hashed for nothing; `createFirstAdmin` decides. */
export async function setupNeeded(db: Database): Promise<boolean> {
  return (await userCount(db.prisma)) === 0;
}

/**
 * Creates the first admin, only while no account exists; parallel setups make one admin and
 * hash one password (see insertFirstAdmin), the others answer 409.
 */
export async function createFirstAdmin(db: Database, email: string, hashPassword: () => Promise<string>) {
  const created = await insertFirstAdmin(db.prisma, email, hashPassword);
  if (!created) throw setupDone();
  return created;
}
