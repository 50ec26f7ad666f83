import path from 'node:path';
import { compareBytes } from './order';
import { listDir, readLinkUnderRoot, statUnderRoot, tryReadText } from './root-fs';

/** Unit search path, highest priority first (systemd.unit(5), system manager). */
export const UNIT_DIRS = [
  '/etc/systemd/system',
  '/run/systemd/system',
  '/usr/local/lib/systemd/system',
  '/usr/lib/systemd/system',
  '/lib/systemd/system',
];
/** Only these hold `enable` symlinks; vendor `.wants` links in /usr/lib make a unit static, not enabled. */
const CONFIG_DIRS = ['/etc/systemd/system', '/run/systemd/system'];

export interface UnitFileState {
  unit: string;
  /** The unit file that wins on the search path (as found, before following symlinks). */
  file: string;
  /** As `systemctl list-unit-files` names it: enabled, enabled-runtime, disabled, static, indirect, masked, masked-runtime, alias, linked. */
  enabled_state: string;
}

/**
 * What the [Install] section says a unit can be enabled as: `install` when it has
 * WantedBy/RequiredBy/UpheldBy/Alias, `also` when it only names other units, else `none`.
 */
export function installKind(text: string): 'install' | 'also' | 'none' {
  let section = '';
  let also = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) section = line;
    else if (section === '[Install]') {
      const m = /^(\w+)\s*=\s*(\S.*)?$/.exec(line);
      if (!m || !m[2]) continue;
      if (['WantedBy', 'RequiredBy', 'UpheldBy', 'Alias'].includes(m[1] as string)) return 'install';
      if (m[1] === 'Also') also = true;
    }
  }
  return also ? 'also' : 'none';
}

/** `foo@bar.service` -> `foo@.service`; other names unchanged. */
export function templateOf(unit: string): string {
  return unit.replace(/@[^.]+(\.[a-z]+)$/, '@$1');
}

/** Names linked from `*.wants`/`*.requires`/`*.upholds` in the config dirs, with the first dir that links them. */
async function enableLinks(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const dir of CONFIG_DIRS) {
    for (const sub of await listDir(root, dir)) {
      if (!/\.(wants|requires|upholds)$/.test(sub)) continue;
      for (const name of await listDir(root, path.posix.join(dir, sub))) {
        for (const n of [name, templateOf(name)]) if (!out.has(n)) out.set(n, dir);
      }
    }
  }
  return out;
}

/**
 * The enabled state of every unit file whose name passes `accept`, computed from the unit
 * files and symlinks alone, as `systemctl list-unit-files` would on that host. Sorted by unit.
 */
export async function scanUnitFiles(root: string, accept: (unit: string) => boolean): Promise<UnitFileState[]> {
  const winners = new Map<string, { dir: string; file: string }>();
  for (const dir of UNIT_DIRS) {
    for (const name of await listDir(root, dir)) {
      if (!accept(name) || winners.has(name)) continue;
      const file = path.posix.join(dir, name);
      const st = await statUnderRoot(root, file, { followLast: false }).catch(() => null);
      if (st && (st.isFile() || st.isSymbolicLink())) winners.set(name, { dir, file });
    }
  }
  const links = await enableLinks(root);
  const out: UnitFileState[] = [];
  for (const [unit, { dir, file }] of [...winners].sort(([a], [b]) => compareBytes(a, b))) {
    out.push({ unit, file, enabled_state: await stateOf(root, unit, dir, file, links) });
  }
  return out;
}

async function stateOf(root: string, unit: string, dir: string, file: string, links: Map<string, string>): Promise<string> {
  const runtime = dir === '/run/systemd/system';
  const target = await readLinkUnderRoot(root, file);
  if (target !== null) {
    if (target === '/dev/null' || target === '') return runtime ? 'masked-runtime' : 'masked';
    if (path.posix.basename(target) !== unit) return 'alias';
  }
  const linkedFrom = links.get(unit);
  if (linkedFrom) return linkedFrom === '/run/systemd/system' ? 'enabled-runtime' : 'enabled';
  if (target !== null && CONFIG_DIRS.includes(dir)) return 'linked';
  const kind = installKind((await tryReadText(root, file).catch(() => null)) ?? '');
  return kind === 'install' ? 'disabled' : kind === 'also' ? 'indirect' : 'static';
}

/**
 * The state of one unit file, or null when no unit file of that name exists: what
 * `scanUnitFiles` says of it, found by looking the name up in each directory of the search
 * path rather than listing them (a dozen collectors ask, and /usr/lib/systemd/system holds
 * hundreds of units).
 */
export async function unitFileState(root: string, unit: string): Promise<UnitFileState | null> {
  for (const dir of UNIT_DIRS) {
    const file = path.posix.join(dir, unit);
    const st = await statUnderRoot(root, file, { followLast: false }).catch(() => null);
    if (st && (st.isFile() || st.isSymbolicLink())) {
      return { unit, file, enabled_state: await stateOf(root, unit, dir, file, await enableLinks(root)) };
    }
  }
  return null;
}

/** Whether a unit will be started at boot by an enable link (enabled or enabled-runtime). */
export function isEnabled(state: UnitFileState | null): boolean {
  return state !== null && state.enabled_state.startsWith('enabled');
}

/** `default.target`'s target unit, from the symlink that `systemctl set-default` writes. */
export async function defaultTarget(root: string): Promise<string | null> {
  for (const dir of UNIT_DIRS) {
    const p = path.posix.join(dir, 'default.target');
    const link = await readLinkUnderRoot(root, p);
    if (link !== null) return path.posix.basename(link);
    if ((await statUnderRoot(root, p).catch(() => null)) !== null) return 'default.target';
  }
  return null;
}
