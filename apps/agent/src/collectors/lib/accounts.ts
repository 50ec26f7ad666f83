import type { GroupsFact } from '@plumbline/protocol/facts';

/** One /etc/passwd line; the users and files collectors both read the account databases. */
export interface PasswdEntry {
  name: string;
  /** The password field of passwd: `x` defers to shadow; anything else is used as is (never reported). */
  passwordField: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    // NIS "+" / "-" compat lines are not local accounts.
    if (f.length < 7 || !f[0] || /^[+-]/.test(f[0])) continue;
    const uid = Number(f[2]);
    const gid = Number(f[3]);
    if (!Number.isSafeInteger(uid) || !Number.isSafeInteger(gid) || uid < 0 || gid < 0 || f[2] === '' || f[3] === '') continue;
    out.push({ name: f[0], passwordField: f[1] ?? '', uid, gid, home: f[5] ?? '', shell: f[6] ?? '' });
  }
  return out;
}

export function parseGroup(text: string): GroupsFact {
  const out: GroupsFact = [];
  for (const line of text.split('\n')) {
    const f = line.replace(/\r$/, '').split(':');
    if (f.length < 4 || !f[0] || /^[+-]/.test(f[0]) || f[2] === '') continue;
    const gid = Number(f[2]);
    if (!Number.isSafeInteger(gid) || gid < 0) continue;
    const members = [
      ...new Set(
        (f[3] ?? '')
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean),
      ),
    ].sort();
    out.push({ name: f[0], gid, members });
  }
  return out.sort((a, b) => a.gid - b.gid || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
