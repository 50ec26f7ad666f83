import type { LoginDefsFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { readText } from '../lib/root-fs';
import { parseLoginDefs, int } from './parse';

const FILE = '/etc/login.defs';

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
