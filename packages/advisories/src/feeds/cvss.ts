/**
 * CVSS v3.0/v3.1 base score from a vector (FIRST CVSS v3.1 specification, section 7.1 and
 * appendix A's Roundup). Written out rather than a dependency: it is one formula, and the feeds
 * that carry a vector without its score (OSV) need nothing else from CVSS.
 */
const W = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  CIA: { H: 0.56, L: 0.22, N: 0 },
} as const;

const roundup = (x: number) => {
  const i = Math.round(x * 100000);
  return i % 10000 === 0 ? i / 100000 : (Math.floor(i / 10000) + 1) / 10;
};

/** The base score, or null when the vector is not a complete CVSS v3 base vector. */
export function cvssBaseScore(vector: string): number | null {
  const m = /^CVSS:3\.[01]\/(.*)$/.exec(vector.trim());
  if (!m) return null;
  const v: Record<string, string> = {};
  for (const part of (m[1] as string).split('/')) {
    const [k, x] = part.split(':');
    if (k && x) v[k] = x;
  }
  const av = W.AV[v.AV as keyof typeof W.AV];
  const ac = W.AC[v.AC as keyof typeof W.AC];
  const ui = W.UI[v.UI as keyof typeof W.UI];
  const c = W.CIA[v.C as keyof typeof W.CIA];
  const i = W.CIA[v.I as keyof typeof W.CIA];
  const a = W.CIA[v.A as keyof typeof W.CIA];
  const s = v.S;
  const pr = s === 'C' ? { N: 0.85, L: 0.68, H: 0.5 }[v.PR as string] : { N: 0.85, L: 0.62, H: 0.27 }[v.PR as string];
  if ([av, ac, ui, c, i, a, pr].some((x) => x === undefined) || (s !== 'U' && s !== 'C')) return null;
  const iss = 1 - (1 - (c as number)) * (1 - (i as number)) * (1 - (a as number));
  const impact = s === 'U' ? 6.42 * iss : 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15;
  const exploitability = 8.22 * (av as number) * (ac as number) * (pr as number) * (ui as number);
  if (impact <= 0) return 0;
  return s === 'U' ? roundup(Math.min(impact + exploitability, 10)) : roundup(Math.min(1.08 * (impact + exploitability), 10));
}
