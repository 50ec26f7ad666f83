import type { SudoFact } from '@plumbline/protocol/facts';
import type { CollectContext } from '../lib/context';
import { CollectorError } from '../lib/errors';
import { installedPackage, isInstalled } from '../lib/host-packages';
import { listDir, tryReadText } from '../lib/root-fs';
import { parseSudoers, type ParsedSudoers } from './parse';
import { effectiveDefaults, unauthenticated } from './effective';

const MAIN_FILE = '/etc/sudoers';

export async function collect(ctx: CollectContext): Promise<SudoFact> {
  const installed = await isInstalled(ctx, { packages: ['sudo', 'sudo-ldap'], paths: ['/usr/bin/sudo', '/bin/sudo'] });
  const version = (await installedPackage(ctx, ['sudo', 'sudo-ldap']))?.version ?? null;
  const parsed = await parseSudoers(MAIN_FILE, {
    // An unreadable main file is the fact's error; an unreadable include is only a warning.
    read: (file) => (file === MAIN_FILE ? tryReadText(ctx.root, file) : tryReadText(ctx.root, file).catch(() => null)),
    list: (dir) => listDir(ctx.root, dir).catch(() => []),
  });
  if (!parsed && installed) throw new CollectorError('PLUMBLINE_ERR_SOURCE_MISSING', `${MAIN_FILE} does not exist`, MAIN_FILE);
  const p: ParsedSudoers = parsed ?? { files: [], defaults: [], rules: [], aliases: [], warnings: [] };
  const without = unauthenticated(p);
  return {
    installed,
    version,
    files: p.files,
    defaults: p.defaults,
    effective: effectiveDefaults(p.defaults, version),
    rules: p.rules,
    aliases: p.aliases,
    nopasswd: without.filter((w) => w.reason === 'NOPASSWD').map(({ reason: _r, ...rest }) => rest),
    rules_without_authentication: without,
    warnings: p.warnings,
  };
}
