import type { LoginDefsFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { readText } from '../lib/root-fs';
import { sortRecord } from '../lib/order';

const FILE = '/etc/login.defs';

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

function int(v: string | undefined): number | null {
  if (v === undefined || !/^-?\d+$/.test(v)) return null;
  return Number(v);
}

export async function collect(ctx: CollectContext): Promise<LoginDefsFact> {
  const settings = parseLoginDefs(await readText(ctx.root, FILE));
  return {
    file: FILE,
    settings,
    pass_max_days: int(settings.PASS_MAX_DAYS?.value),
    pass_min_days: int(settings.PASS_MIN_DAYS?.value),
    pass_warn_age: int(settings.PASS_WARN_AGE?.value),
    umask: settings.UMASK?.value ?? null,
    encrypt_method: settings.ENCRYPT_METHOD?.value ?? null,
  };
}
