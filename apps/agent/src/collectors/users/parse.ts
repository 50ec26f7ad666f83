import type { GroupsFact, UserAccount, UsersFact } from '@plumbline/protocol/facts';
import { type PasswdEntry } from '../lib/accounts';

export interface ShadowEntry {
  state: UserAccount['password_state'];
  ages: Pick<UserAccount, 'last_change_days' | 'min_days' | 'max_days' | 'warn_days' | 'inactive_days' | 'expire_days'>;
}

const PRIVILEGED_GROUPS = ['sudo', 'wheel', 'admin'];

/**
 * Reduces a password field to what rules need. The hash itself is dropped here, at the
 * first step, so nothing downstream can leak it.
 */
export function passwordState(field: string): UserAccount['password_state'] {
  if (field === '') return 'empty';
  if (field.startsWith('!')) return 'locked';
  // crypt(3) hashes: $id$..., or 13-character traditional DES.
  if (/^\$[0-9a-z]+\$/.test(field) || /^[./0-9A-Za-z]{13}$/.test(field)) return 'set';
  return 'no_login';
}

function day(s: string | undefined): number | null {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  return Number.isSafeInteger(n) ? n : null;
}

/** /etc/shadow by user name, hashes already reduced to a state. */
export function parseShadow(text: string): Map<string, ShadowEntry> {
  const out = new Map<string, ShadowEntry>();
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    if (f.length < 2 || !f[0]) continue;
    out.set(f[0], {
      state: passwordState(f[1] ?? ''),
      ages: {
        last_change_days: day(f[2]),
        min_days: day(f[3]),
        max_days: day(f[4]),
        warn_days: day(f[5]),
        inactive_days: day(f[6]),
        expire_days: day(f[7]),
      },
    });
  }
  return out;
}

const NO_AGES: ShadowEntry['ages'] = {
  last_change_days: null,
  min_days: null,
  max_days: null,
  warn_days: null,
  inactive_days: null,
  expire_days: null,
};

export function buildUsers(passwd: PasswdEntry[], shadow: Map<string, ShadowEntry> | null, groups: GroupsFact): Omit<UsersFact, 'shadow'> {
  const accounts: UserAccount[] = passwd.map((p) => {
    const s = shadow?.get(p.name);
    const state = p.passwordField === 'x' ? (s?.state ?? 'unknown') : passwordState(p.passwordField);
    return { name: p.name, uid: p.uid, gid: p.gid, home: p.home, shell: p.shell, password_state: state, ...(s?.ages ?? NO_AGES) };
  });
  accounts.sort((a, b) => a.uid - b.uid || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const reasons = new Map<string, Set<string>>();
  const add = (name: string, why: string) => (reasons.get(name) ?? reasons.set(name, new Set()).get(name))?.add(why);
  for (const a of accounts) if (a.uid === 0) add(a.name, 'uid_0');
  for (const g of groups.filter((x) => PRIVILEGED_GROUPS.includes(x.name))) {
    for (const m of g.members) add(m, `group:${g.name}`);
    for (const a of accounts) if (a.gid === g.gid) add(a.name, `group:${g.name}`);
  }
  const privileged = [...reasons.entries()]
    .map(([name, why]) => ({ name, reasons: [...why].sort() }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { accounts, privileged };
}
