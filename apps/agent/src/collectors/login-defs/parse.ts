import type { LoginDefsFact } from '@plumbline/protocol/facts';
import { sortRecord } from '../lib/order';

/**
 * login.defs(5) as shadow-utils reads it: `NAME value`, `#` comments, optional double
 * quotes around the value; a later line for the same name replaces the earlier one.
 */
export function parseLoginDefs(text: string): LoginDefsFact['settings'] {
  const out: LoginDefsFact['settings'] = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(\S+)\s+(.*)$/.exec(line);
    if (!m) return;
    const value = (m[2] as string).trim().replace(/^"(.*)"$/, '$1');
    out[m[1] as string] = { value, line: i + 1 };
  });
  return sortRecord(out);
}

export function int(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}
