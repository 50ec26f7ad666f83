import { z } from 'zod';
import { type Advisory, type CveRecord, FeedError } from '../types';

// https://security-tracker.debian.org/tracker/data/json: source package -> CVE (or TEMP-/DLA- id)
// -> { description, scope, debianbug, releases: { <codename>: { status, repositories, fixed_version, urgency, nodsa } } }.
const Release = z.object({
  status: z.string(),
  repositories: z.record(z.string(), z.string()).optional(),
  fixed_version: z.string().optional(),
  urgency: z.string().optional(),
});
const Entry = z.object({
  description: z.string().optional(),
  scope: z.string().optional(),
  releases: z.record(z.string(), Release),
});
const Tracker = z.record(z.string(), z.record(z.string(), Entry));

/** Whether a parsed JSON value has the tracker's shape (checked on its first entries only). */
export function looksLikeDebianTracker(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const first = Object.values(v).slice(0, 3);
  return (
    first.length > 0 &&
    first.every((pkg) => pkg && typeof pkg === 'object' && Object.values(pkg).some((e) => e && typeof e === 'object' && 'releases' in e))
  );
}

/**
 * Every (release, source package, CVE). `resolved` with fixed version `0` means the release
 * never had the vulnerable code (not affected); `open` and `undetermined` have no fix yet.
 * TEMP- ids (no CVE assigned yet) are kept under their tracker id.
 */
export function parseDebianTracker(v: unknown): { advisories: Advisory[]; cves: CveRecord[] } {
  const parsed = Tracker.safeParse(v);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError('PLUMBLINE_ERR_FEED_MALFORMED', `Debian tracker JSON: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const advisories: Advisory[] = [];
  const cves = new Map<string, CveRecord>();
  for (const [pkg, byCve] of Object.entries(parsed.data)) {
    for (const [cve, entry] of Object.entries(byCve)) {
      if (!cves.has(cve)) cves.set(cve, { cve, description: entry.description ?? null, cvss: null, cvssVector: null });
      for (const [release, r] of Object.entries(entry.releases)) {
        const fixed = r.fixed_version ?? null;
        let status: Advisory['status'];
        if (r.status === 'resolved') status = fixed === '0' ? 'not_affected' : fixed ? 'fixed' : 'not_affected';
        else if (r.status === 'not-affected') status = 'not_affected';
        else status = 'open';
        advisories.push({
          distro: 'debian',
          release,
          package: pkg,
          cve,
          status,
          fixedVersion: status === 'fixed' ? fixed : null,
          severity: r.urgency?.replace(/\*+$/, '') ?? null,
        });
      }
    }
  }
  return { advisories, cves: [...cves.values()] };
}
