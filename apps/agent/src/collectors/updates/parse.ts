import { compareBytes } from '../lib/order';
import type { UpdatesFact } from '@plumbline/protocol/facts';

export type Pending = UpdatesFact['pending'][number];

/** `apt-get -s upgrade`: `Inst NAME [CURRENT] (NEW ORIGIN[, ORIGIN...] [ARCH])`. */
export function parseAptSimulation(text: string): Pending[] {
  const out: Pending[] = [];
  for (const line of text.split('\n')) {
    const m = /^Inst (\S+) (?:\[([^\]]*)\] )?\((\S+) (.*?)(?: \[[^\]]+\])?\)/.exec(line);
    if (!m) continue;
    const origin = m[4] as string;
    out.push({
      name: m[1] as string,
      current_version: m[2] ?? null,
      new_version: m[3] as string,
      origin,
      security: /-security/i.test(origin),
    });
  }
  return out.sort((a, b) => compareBytes(a.name, b.name));
}

/** `dnf check-update`: `name.arch  version  repo` rows after the metadata lines. */
export function parseDnfCheckUpdate(text: string, securityNames: Set<string>): Pending[] {
  const out: Pending[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\.(\w+)\s+(\S+)\s+(\S+)\s*$/.exec(line);
    if (!m || line.startsWith('Last metadata') || line.startsWith('Obsoleting')) continue;
    out.push({
      name: m[1] as string,
      current_version: null,
      new_version: m[3] as string,
      origin: m[4] as string,
      security: securityNames.has(m[1] as string),
    });
  }
  return out.sort((a, b) => compareBytes(a.name, b.name));
}

/** `dnf updateinfo list --security`: `ADVISORY SEVERITY/Sec. NAME-[EPOCH:]VERSION-RELEASE.ARCH`; the package names. */
export function parseDnfSecurity(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const nevra = line.trim().split(/\s+/)[2];
    const m = nevra ? /^(.+)-[^-]+-[^-]+\.[^.]+$/.exec(nevra) : null;
    if (m) names.add(m[1] as string);
  }
  return names;
}
