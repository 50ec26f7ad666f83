import { randomBytes } from 'node:crypto';
import { NewPassword } from '@plumbline/protocol/api';
import { hashPassword, verifyPassword } from '../crypto';
import type { Database } from '../db/open';
import { AppError, ErrorCode } from '../errors';
import { findUser, replacePassword } from './repository';

/**
 * Password changes, shared by the API and the CLI. Every change ends the user's sessions
 * (all of them, or all but the one that made the change) in the same transaction as the
 * new hash, so a session opened with the old password never outlives it.
 */

export type PasswordAction = 'user.password.change' | 'user.password.set' | 'user.password.reset';

export interface PasswordChanged {
  userId: string;
  email: string;
  /** Ids of the sessions that ended (their live sockets close too). */
  endedSessions: string[];
}

interface SetOptions {
  action: PasswordAction;
  /** The user must choose a new password at their next sign-in, and may do nothing else until then. */
  mustChange: boolean;
  /** The session that made the change stays signed in. */
  keepSession?: string | undefined;
  actor: string;
}

/** Sets `who`'s (an id or email) password; bad passwords and unknown users change nothing. */
export async function setPassword(db: Database, who: string, password: string, opts: SetOptions): Promise<PasswordChanged> {
  const p = NewPassword.safeParse(password);
  if (!p.success) throw new AppError(ErrorCode.badRequest, `password: ${p.error.issues[0]?.message}`);
  const user = await findUser(db.prisma, who);
  if (!user) throw new AppError(ErrorCode.notFound, `no user ${who}`);
  const passwordHash = await hashPassword(p.data);
  return replacePassword(db.prisma, user.id, { passwordHash, ...opts });
}

/**
 * A one-time password an admin hands over: the user signs in with it once and must
 * replace it before doing anything else. 144 random bits, so guessing it is hopeless.
 */
export async function resetPassword(db: Database, who: string, actor: string): Promise<PasswordChanged & { temporaryPassword: string }> {
  const temporaryPassword = randomBytes(18).toString('base64url');
  const done = await setPassword(db, who, temporaryPassword, { action: 'user.password.reset', mustChange: true, actor });
  return { ...done, temporaryPassword };
}

/** A signed-in user's own change: the current password first, and a different new one. */
export async function changeOwnPassword(
  db: Database,
  userId: string,
  current: string,
  next: string,
  sessionId: string,
): Promise<PasswordChanged> {
  const user = await findUser(db.prisma, userId);
  if (!user) throw new AppError(ErrorCode.notFound, 'no such user');
  if (!(await verifyPassword(current, user.passwordHash))) throw new AppError(ErrorCode.wrongPassword, 'the current password is wrong');
  if (current === next) throw new AppError(ErrorCode.badRequest, 'newPassword: choose a password other than the current one');
  return setPassword(db, userId, next, {
    action: 'user.password.change',
    mustChange: false,
    keepSession: sessionId,
    actor: `user:${user.email}`,
  });
}
