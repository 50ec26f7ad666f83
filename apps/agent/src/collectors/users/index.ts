import type { GroupsFact, UsersFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { readText } from '../lib/root-fs';
import { parsePasswd, parseGroup } from '../lib/accounts';
import { buildUsers, parseShadow, type ShadowEntry } from './parse';

export async function collectUsers(ctx: CollectContext): Promise<UsersFact> {
  const passwd = parsePasswd(await readText(ctx.root, '/etc/passwd'));
  const groups = await readText(ctx.root, '/etc/group').then(parseGroup, () => [] as GroupsFact);
  let shadow: Map<string, ShadowEntry> | null = null;
  let shadowState: UsersFact['shadow'] = 'read';
  try {
    shadow = parseShadow(await readText(ctx.root, '/etc/shadow'));
  } catch (err) {
    shadowState = err instanceof CollectorError && err.code === 'PLUMBLINE_ERR_SOURCE_MISSING' ? 'missing' : 'unreadable';
  }
  return { ...buildUsers(passwd, shadow, groups), shadow: shadowState };
}

export async function collectGroups(ctx: CollectContext): Promise<GroupsFact> {
  return parseGroup(await readText(ctx.root, '/etc/group'));
}
