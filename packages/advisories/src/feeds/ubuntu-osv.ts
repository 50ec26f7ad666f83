import { z } from 'zod';
import { type Advisory, type CveRecord, FeedError } from '../types';
import { cvssBaseScore } from './cvss';

// OSV schema (https://ossf.github.io/osv-schema/) as Ubuntu publishes it
// (github.com/canonical/ubuntu-security-notices, osv/cve/<year>/UBUNTU-CVE-*.json): one record per
// CVE, `affected[].package` = { ecosystem: "Ubuntu:22.04:LTS", name: <source package>, purl }, ECOSYSTEM
// ranges whose `fixed` event is the first fixed version; no `fixed` event = no fix yet.
const Osv = z.object({
  id: z.string(),
  schema_version: z.string().optional(),
  modified: z.string().optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  upstream: z.array(z.string()).optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z.array(
    z.object({
      package: z.object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() }),
      ranges: z.array(z.object({ type: z.string(), events: z.array(z.record(z.string(), z.string())) })).optional(),
      versions: z.array(z.string()).optional(),
    }),
  ),
});

const UBUNTU_CODENAMES: Record<string, string> = {
  '14.04': 'trusty',
  '16.04': 'xenial',
  '18.04': 'bionic',
  '20.04': 'focal',
  '22.04': 'jammy',
  '23.10': 'mantic',
  '24.04': 'noble',
  '24.10': 'oracular',
  '25.04': 'plucky',
  '25.10': 'questing',
};
export const ubuntuCodename = (version: string) => UBUNTU_CODENAMES[version] ?? null;

export function looksLikeOsv(v: unknown): boolean {
  const one = Array.isArray(v) ? v[0] : v;
  return !!one && typeof one === 'object' && 'id' in one && 'affected' in one;
}

export function parseUbuntuOsv(v: unknown): { advisories: Advisory[]; cves: CveRecord[]; modified: string | null } {
  const records = Array.isArray(v) ? v : [v];
  const advisories: Advisory[] = [];
  const cves: CveRecord[] = [];
  let modified: string | null = null;
  for (const [i, raw] of records.entries()) {
    const parsed = Osv.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FeedError('PLUMBLINE_ERR_FEED_MALFORMED', `OSV record ${i}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    const r = parsed.data;
    const cve = [...(r.upstream ?? []), ...(r.aliases ?? []), r.id.replace(/^UBUNTU-/, '')].find((x) => /^CVE-\d+-\d+$/.test(x)) ?? r.id;
    const vector = r.severity?.find((s) => s.type.startsWith('CVSS_V3'))?.score ?? null;
    const priority = r.severity?.find((s) => s.type === 'Ubuntu')?.score ?? null;
    cves.push({ cve, description: r.details ?? r.summary ?? null, cvss: vector ? cvssBaseScore(vector) : null, cvssVector: vector });
    if (r.modified && (!modified || r.modified > modified)) modified = r.modified;
    for (const a of r.affected) {
      const eco = /^Ubuntu:(?:Pro:)?(?:FIPS[^:]*:)?(\d+\.\d+)(?::|$)/.exec(a.package.ecosystem);
      const fromPurl = /[?&]distro=([a-z]+)/.exec(a.package.purl ?? '')?.[1];
      const release = fromPurl ?? (eco ? ubuntuCodename(eco[1] as string) : null);
      if (!release || /Pro|FIPS/.test(a.package.ecosystem)) continue;
      const events = (a.ranges ?? []).filter((x) => x.type === 'ECOSYSTEM').flatMap((x) => x.events);
      const fixed = events.map((e) => e.fixed).find((f) => f !== undefined) ?? null;
      advisories.push({
        distro: 'ubuntu',
        release,
        package: a.package.name,
        cve,
        status: fixed ? 'fixed' : 'open',
        fixedVersion: fixed,
        severity: priority,
      });
    }
  }
  return { advisories, cves, modified };
}
