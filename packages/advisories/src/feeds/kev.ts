import { z } from 'zod';
import { FeedError, type KevEntry } from '../types';

// CISA Known Exploited Vulnerabilities catalog
// (www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json).
const Kev = z.object({
  title: z.string().optional(),
  catalogVersion: z.string(),
  dateReleased: z.string().optional(),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(
    z.object({
      cveID: z.string().regex(/^CVE-\d+-\d+$/),
      vulnerabilityName: z.string().optional(),
      dateAdded: z.string().optional(),
      dueDate: z.string().optional(),
      knownRansomwareCampaignUse: z.string().optional(),
    }),
  ),
});

export function looksLikeKev(v: unknown): boolean {
  return !!v && typeof v === 'object' && 'catalogVersion' in v && 'vulnerabilities' in v;
}

export function parseKev(v: unknown): { entries: KevEntry[]; version: string | null } {
  const parsed = Kev.safeParse(v);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError('PLUMBLINE_ERR_FEED_MALFORMED', `KEV catalog: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const k = parsed.data;
  if (k.count !== k.vulnerabilities.length) {
    throw new FeedError(
      'PLUMBLINE_ERR_FEED_TRUNCATED',
      `KEV catalog: count says ${k.count} entries, the file has ${k.vulnerabilities.length}`,
    );
  }
  return {
    version: k.catalogVersion,
    entries: k.vulnerabilities.map((x) => ({
      cve: x.cveID,
      name: x.vulnerabilityName ?? null,
      dateAdded: x.dateAdded ?? null,
      dueDate: x.dueDate ?? null,
      ransomware: x.knownRansomwareCampaignUse === 'Known',
    })),
  };
}
