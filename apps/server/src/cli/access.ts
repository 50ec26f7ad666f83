import type { Command } from 'commander';
import { listApiKeys, listUsers, revokeApiKey, updateUser } from '../access';
import type { Database } from '../db/open';
import { notifyReplicas } from '../live/bus';
import { printer } from './printer';

type WithDatabase = <T>(fn: (db: Database) => Promise<T>) => Promise<T>;

/** `plumbline user list | set-role | disable` (`user add` lives in cli.ts). */
export function registerUserCommands(user: Command, withDatabase: WithDatabase): void {
  user
    .command('list')
    .description('every user, with role and state')
    .action(async () => {
      const { items } = await withDatabase((db) => listUsers(db));
      printer.out(['email', 'role', 'state', 'last login', 'id'].join('\t'));
      for (const u of items) printer.out([u.email, u.role, u.disabled ? 'disabled' : 'active', u.lastLoginAt ?? '-', u.id].join('\t'));
    });

  user
    .command('set-role')
    .description("change a user's role (the last active admin cannot be demoted)")
    .argument('<email>')
    .argument('<role>', 'admin, operator or auditor')
    .action(async (email: string, role: string) => {
      const u = await withDatabase((db) => updateUser(db, email, { role: role as 'admin' }));
      printer.err(`${u.email} is now ${u.role}`);
    });

  user
    .command('disable')
    .description('disable a user and end their sessions at once (not the last active admin)')
    .argument('<email>')
    .action(async (email: string) => {
      const u = await withDatabase(async (db) => {
        const user = await updateUser(db, email, { disabled: true });
        await notifyReplicas(db, { type: 'credentials.revoked', kind: 'user', id: user.id, at: new Date().toISOString() });
        return user;
      });
      printer.err(`${u.email} disabled; their sessions ended`);
    });
}

/** `plumbline apikey list | revoke` (`apikey create` lives in cli.ts). */
export function registerApiKeyCommands(apikey: Command, withDatabase: WithDatabase): void {
  apikey
    .command('list')
    .description('every API key by prefix (the secret itself is never stored)')
    .action(async () => {
      const { items } = await withDatabase((db) => listApiKeys(db));
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
      await withDatabase(async (db) => {
        await revokeApiKey(db, id);
        // Running servers close the live sockets opened with the key.
        await notifyReplicas(db, { type: 'credentials.revoked', kind: 'apikey', id, at: new Date().toISOString() });
      });
      printer.err(`API key ${id} revoked`);
    });
}
