import type { InstalledPackage } from '@plumbline/protocol/facts';

/** Byte order, as glob(3) sorts in the C locale (the agent runs commands with LC_ALL=C too). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** A record with its keys in code-unit order, so a fact serialises the same way every time. */
export function sortRecord<T>(rec: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** augenrules sorts with `ls -v`: digit runs compare as numbers. */
export function naturalCompare(a: string, b: string): number {
  const re = /(\d+|\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i] as string;
    const y = pb[i] as string;
    if (/^\d/.test(x) && /^\d/.test(y) && Number(x) !== Number(y)) return Number(x) - Number(y);
    if (x !== y) return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/** Packages by name, then architecture, then version. */
export function sortPackages(pkgs: InstalledPackage[]): InstalledPackage[] {
  const key = (p: InstalledPackage) => `${p.name}\u0000${p.arch ?? ''}\u0000${p.version}`;
  return pkgs.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
