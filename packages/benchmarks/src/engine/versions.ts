/**
 * Package version ordering as the package managers define it. A plain string or semver
 * comparison gets `1:1.0` vs `2.0`, `1.0~rc1` vs `1.0` and `1.10` vs `1.9` wrong, and those
 * are exactly the cases that decide whether a security fix is installed.
 */

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** dpkg's character order: `~` sorts before everything, even the end; letters before other symbols. */
function dpkgOrder(c: string | undefined): number {
  if (c === undefined) return 0;
  if (isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit and digit runs, compared lexically then numerically. */
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = dpkgOrder(a[i]);
      const bc = dpkgOrder(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

interface DebVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

export function parseDebVersion(v: string): DebVersion {
  const s = v.trim();
  const colon = s.indexOf(':');
  const epoch = colon > 0 && /^\d+$/.test(s.slice(0, colon)) ? Number(s.slice(0, colon)) : 0;
  const rest = colon > 0 ? s.slice(colon + 1) : s;
  const dash = rest.lastIndexOf('-');
  return dash >= 0 ? { epoch, upstream: rest.slice(0, dash), revision: rest.slice(dash + 1) } : { epoch, upstream: rest, revision: '' };
}

/** Negative, zero or positive as `dpkg --compare-versions a lt/eq/gt b`. */
export function compareDebVersions(a: string, b: string): number {
  const x = parseDebVersion(a);
  const y = parseDebVersion(b);
  if (x.epoch !== y.epoch) return x.epoch - y.epoch;
  return Math.sign(verrevcmp(x.upstream, y.upstream)) || Math.sign(verrevcmp(x.revision, y.revision));
}

/** rpmvercmp from rpm's lib/rpmvercmp.c: segments of digits or letters; `~` sorts first, `^` after the end. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  const alnum = (c: string | undefined) => isDigit(c) || isAlpha(c);
  while (i < a.length || j < b.length) {
    while (i < a.length && !alnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !alnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (!(i < a.length && j < b.length)) break;
    const numeric = isDigit(a[i]);
    const take = (s: string, k: number) => {
      let e = k;
      while (e < s.length && (numeric ? isDigit(s[e]) : isAlpha(s[e]))) e++;
      return e;
    };
    const ei = take(a, i);
    const ej = take(b, j);
    let sa = a.slice(i, ei);
    let sb = b.slice(j, ej);
    // A numeric segment is newer than an alphabetic one.
    if (sb.length === 0) return numeric ? 1 : -1;
    if (numeric) {
      sa = sa.replace(/^0+/, '');
      sb = sb.replace(/^0+/, '');
      if (sa.length !== sb.length) return sa.length > sb.length ? 1 : -1;
    }
    if (sa !== sb) return sa < sb ? -1 : 1;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

/** `[epoch:]version[-release]` compared field by field with rpmvercmp; a missing epoch is 0. */
export function compareRpmVersions(a: string, b: string): number {
  const split = (v: string) => {
    const colon = v.indexOf(':');
    const epoch = colon > 0 ? Number(v.slice(0, colon)) || 0 : 0;
    const rest = colon > 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf('-');
    return dash >= 0 ? { epoch, version: rest.slice(0, dash), release: rest.slice(dash + 1) } : { epoch, version: rest, release: '' };
  };
  const x = split(a.trim());
  const y = split(b.trim());
  if (x.epoch !== y.epoch) return Math.sign(x.epoch - y.epoch);
  const v = rpmvercmp(x.version, y.version);
  if (v !== 0) return v;
  // rpm ignores the release when one side has none (a requirement on the version only).
  if (!x.release || !y.release) return 0;
  return rpmvercmp(x.release, y.release);
}

export type VersionScheme = 'deb' | 'rpm';

export function compareVersions(scheme: VersionScheme, a: string, b: string): number {
  return scheme === 'rpm' ? compareRpmVersions(a, b) : compareDebVersions(a, b);
}
