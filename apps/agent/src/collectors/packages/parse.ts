import type { InstalledPackage } from '@plumbline/protocol/facts';
import { sortPackages } from '../lib/order';

/** `rpm -qa --qf 'NAME\tEPOCH:VERSION-RELEASE\tARCH\n'`; an unset epoch prints as (none). */
export function parseRpmQuery(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const line of text.split('\n')) {
    const [name, evr, arch] = line.split('\t');
    if (!name || !evr) continue;
    out.push({
      name,
      version: evr.replace(/^\(none\):/, ''),
      arch: !arch || arch === '(none)' ? null : arch,
      status: 'installed',
      installed: true,
    });
  }
  return sortPackages(out);
}
