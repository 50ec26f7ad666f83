import type { Command } from 'commander';
import { addUser, createApiKey } from '../access/credentials';
import { listApiKeys, listUsers, revokeApiKey, updateUser } from '../access/users';
import { notifyReplicas } from '../live/bus';
import { resetPassword, setPassword } from '../access/passwords';
import type { ApiKeyItem, UserItem } from '@plumbline/protocol/access';
import { AppError, ErrorCode } from '../errors';
import { databaseOrServer, type WithDatabase } from './context';
import { printer } from './printer';
import type { ServerClient } from './server-client';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every user, as the server lists them (a page of 1000, as the direct path reads them). */
const serverUsers = (api: ServerClient) => api.json<{ items: UserItem[]; total: number }>('GET', 'api/v1/users?limit=1000');

/** A user's id by email (or id), found as the direct path finds them. */
async function serverUserId(api: ServerClient, who: string): Promise<string> {
  if (UUID.test(who)) return who;
  const email = who.trim().toLowerCase();
  const user = (await serverUsers(api)).items.find((u) => u.email === email);
  if (!user) throw new AppError(ErrorCode.notFound, `no user ${who}`);
  return user.id;
}

/** `plumbline user add | passwd | reset-password | list | set-role | disable`. */
export function registerUserCommands(user: Command, withDatabase: WithDatabase, readStdin: () => Promise<string>): void {
  const run = databaseOrServer(withDatabase);
  user
    .command('add')
    .description('add a user; the password is read from standard input')
    .requiredOption('--email <email>', 'the sign-in email')
    .requiredOption('--role <role>', 'admin, operator or auditor')
    .requiredOption('--password-stdin', 'read the password from standard input')
    .action(async (opts: { email: string; role: string }) => {
      const password = await readStdin();
      const id = await run(
        'user add',
        (db) => addUser(db, opts.email, opts.role, password),
        async (api) => (await api.json<{ id: string }>('POST', 'api/v1/users', { email: opts.email, role: opts.role, password })).id,
      );
      printer.err(`user ${opts.email} added`);
      printer.out(id);
    });
  user
    .command('passwd')
    .description("set a user's password (read from standard input) and end their sessions")
    .argument('<email>')
    .requiredOption('--password-stdin', 'read the password from standard input')
    .option('--temporary', 'make the user choose a new password at their next sign-in')
    .action(async (email: string, opts: { temporary?: boolean }) => {
      const password = await readStdin();
      const done = await withDatabase(async (db) => {
        const changed = await setPassword(db, email, password, {
          action: 'user.password.set',
          mustChange: opts.temporary === true,
          actor: 'cli',
        });
        await notifyReplicas(db, { type: 'credentials.revoked', kind: 'user', id: changed.userId, at: new Date().toISOString() });
        return changed;
      });
      printer.err(
        `password of ${done.email} set; ${done.endedSessions.length} session(s) ended${opts.temporary ? '; a new one must be chosen at the next sign-in' : ''}`,
      );
    });

  user
    .command('reset-password')
    .description('give a user a one-time password (printed once) that must be changed at the next sign-in; ends their sessions')
    .argument('<email>')
    .action(async (email: string) => {
      const done = await run(
        'user reset-password',
        async (db) => {
          const reset = await resetPassword(db, email, 'cli');
          await notifyReplicas(db, { type: 'credentials.revoked', kind: 'user', id: reset.userId, at: new Date().toISOString() });
          return { email: reset.email, temporaryPassword: reset.temporaryPassword, sessionsEnded: reset.endedSessions.length };
        },
        async (api) =>
          api.json<{ email: string; temporaryPassword: string; sessionsEnded: number }>(
            'POST',
            `api/v1/users/${await serverUserId(api, email)}/password-reset`,
          ),
      );
      printer.err(`password of ${done.email} reset; ${done.sessionsEnded} session(s) ended; hand over this one-time password:`);
      printer.out(done.temporaryPassword);
    });

  user
    .command('list')
    .description('every user, with role and state')
    .action(async () => {
      const { items } = await run('user list', (db) => listUsers(db), serverUsers);
      printer.out(['email', 'role', 'state', 'last login', 'id'].join('\t'));
      for (const u of items) printer.out([u.email, u.role, u.disabled ? 'disabled' : 'active', u.lastLoginAt ?? '-', u.id].join('\t'));
    });

  user
    .command('set-role')
    .description("change a user's role (the last active admin cannot be demoted)")
    .argument('<email>')
    .argument('<role>', 'admin, operator or auditor')
    .action(async (email: string, role: string) => {
      const u = await run(
        'user set-role',
        (db) => updateUser(db, email, { role: role as 'admin' }),
        async (api) => api.json<UserItem>('PATCH', `api/v1/users/${await serverUserId(api, email)}`, { role }),
      );
      printer.err(`${u.email} is now ${u.role}`);
    });

  user
    .command('disable')
    .description('disable a user and end their sessions at once (not the last active admin)')
    .argument('<email>')
    .action(async (email: string) => {
      const u = await run(
        'user disable',
        async (db) => {
          const user = await updateUser(db, email, { disabled: true });
          await notifyReplicas(db, { type: 'credentials.revoked', kind: 'user', id: user.id, at: new Date().toISOString() });
          return user;
        },
        async (api) => api.json<UserItem>('PATCH', `api/v1/users/${await serverUserId(api, email)}`, { disabled: true }),
      );
      printer.err(`${u.email} disabled; their sessions ended`);
    });
}

/** `plumbline apikey create | list | revoke`. */
export function registerApiKeyCommands(apikey: Command, withDatabase: WithDatabase): void {
  const run = databaseOrServer(withDatabase);
  apikey
    .command('create')
    .description('create an API key and print it (shown once)')
    .requiredOption('--name <name>', 'what the key is for')
    .requiredOption('--role <role>', 'admin, operator or auditor')
    .option('--expires <duration>', 'lifetime, e.g. 30d or 12h (default: never expires)')
    .option('--group <group>', "limit the key to this group's hosts")
    .action(async (opts: { name: string; role: string; expires?: string; group?: string }) => {
      const key = await run(
        'apikey create',
        (db) => createApiKey(db, opts.name, opts.role, 'cli', { expires: opts.expires, group: opts.group }),
        async (api) => {
          const body = { name: opts.name, role: opts.role, expires: opts.expires, group: opts.group };
          return (await api.json<{ key: string }>('POST', 'api/v1/api-keys', body)).key;
        },
      );
      printer.out(key);
    });
  apikey
    .command('list')
    .description('every API key by prefix (the secret itself is never stored)')
    .action(async () => {
      const { items } = await run(
        'apikey list',
        (db) => listApiKeys(db),
        (api) => api.json<{ items: ApiKeyItem[]; total: number }>('GET', 'api/v1/api-keys?limit=1000'),
      );
      const now = Date.now();
      printer.out(['id', 'name', 'prefix', 'role', 'group', 'expires', 'state'].join('\t'));
      for (const k of items) {
        const state = k.revokedAt ? 'revoked' : k.expiresAt && Date.parse(k.expiresAt) <= now ? 'expired' : 'active';
        printer.out([k.id, k.name, k.prefix, k.role, k.group ?? '-', k.expiresAt ?? 'never', state].join('\t'));
      }
    });

  apikey
    .command('revoke')
    .description('revoke an API key by id; it is refused from the next request on')
    .argument('<id>')
    .action(async (id: string) => {
      await run(
        'apikey revoke',
        async (db) => {
          await revokeApiKey(db, id);
          // Running servers close the live sockets opened with the key.
          await notifyReplicas(db, { type: 'credentials.revoked', kind: 'apikey', id, at: new Date().toISOString() });
        },
        // The server closes the key's live sockets itself.
        async (api) => {
          if (!UUID.test(id)) throw new AppError(ErrorCode.notFound, `no API key ${id}`);
          await api.json<void>('DELETE', `api/v1/api-keys/${encodeURIComponent(id)}`);
        },
      );
      printer.err(`API key ${id} revoked`);
    });
}
