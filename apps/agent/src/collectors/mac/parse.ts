import { sortRecord } from '../lib/order';

/** /sys/kernel/security/apparmor/profiles: `name (mode)` per loaded profile. */
export function countLoadedProfiles(text: string): Record<string, number> {
  // A Map: a mode read from the file may be `constructor` or `__proto__`, which a plain object mishandles.
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /\((\w+)\)\s*$/.exec(line.trim());
    if (m) out.set(m[1] as string, (out.get(m[1] as string) ?? 0) + 1);
  }
  return sortRecord(Object.fromEntries(out));
}

/** The mode a profile file asks for in its `flags=(...)`: complain, kill, unconfined, else enforce. */
export function profileFileMode(text: string): string {
  const flags = [...text.matchAll(/flags\s*=\s*\(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(/[\s,]+/));
  for (const mode of ['complain', 'kill', 'unconfined']) if (flags.includes(mode)) return mode;
  return 'enforce';
}
