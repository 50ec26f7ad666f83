import { compareRpmVersions } from '@plumbline/benchmarks/versions';
import { z } from 'zod';
import { type Advisory, type CveRecord, FeedError } from '../types';

// CSAF 2.0 VEX as Red Hat publishes it (security.access.redhat.com/data/csaf/v2/vex/<year>/cve-*.json):
// product_tree.branches name products (with a CPE) and components (with a purl); relationships join
// them into "<product>:<component>" ids; vulnerabilities[].product_status lists those ids as fixed,
// known_affected or known_not_affected; scores[].cvss_v3 and threats[category=impact] rate it.
interface Branch {
  category?: string;
  name?: string;
  product?: { product_id: string; name?: string; product_identification_helper?: { cpe?: string; purl?: string } };
  branches?: Branch[];
}
const BranchSchema: z.ZodType<Branch> = z.lazy(() =>
  z.object({
    category: z.string().optional(),
    name: z.string().optional(),
    product: z
      .object({
        product_id: z.string(),
        name: z.string().optional(),
        product_identification_helper: z.object({ cpe: z.string().optional(), purl: z.string().optional() }).optional(),
      })
      .optional(),
    branches: z.array(BranchSchema).optional(),
  }),
);
const Csaf = z.object({
  document: z.object({
    category: z.string(),
    csaf_version: z.string(),
    tracking: z.object({ id: z.string(), current_release_date: z.string().optional() }).optional(),
  }),
  product_tree: z.object({
    branches: z.array(BranchSchema).optional(),
    relationships: z
      .array(
        z.object({
          product_reference: z.string(),
          relates_to_product_reference: z.string(),
          full_product_name: z.object({ product_id: z.string() }),
        }),
      )
      .optional(),
  }),
  vulnerabilities: z.array(
    z.object({
      cve: z.string().optional(),
      notes: z.array(z.object({ category: z.string(), text: z.string() })).optional(),
      product_status: z.record(z.string(), z.array(z.string())).optional(),
      scores: z.array(z.object({ cvss_v3: z.object({ baseScore: z.number(), vectorString: z.string() }).optional() })).optional(),
      threats: z.array(z.object({ category: z.string(), details: z.string() })).optional(),
    }),
  ),
});

export function looksLikeCsaf(v: unknown): boolean {
  return !!v && typeof v === 'object' && 'document' in v && !!(v as { document?: { csaf_version?: unknown } }).document?.csaf_version;
}

/** `cpe:/o:redhat:enterprise_linux:9::baseos` -> `el9`; extended-support streams (rhel_eus...) are not the main release. */
function releaseOfCpe(cpe: string | undefined): string | null {
  const m = /^cpe:\/[ao]:redhat:enterprise_linux:(\d+)/.exec(cpe ?? '');
  return m ? `el${m[1]}` : null;
}

/** A component: `openssl-1:3.0.7-27.el9.src` with purl `pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=src&epoch=1`, or a bare `openssl`. */
function componentOf(id: string, purl: string | undefined): { name: string; evr: string | null; arch: string | null } {
  const p = /^pkg:rpm\/[^/]+\/([^@?]+)(?:@([^?]+))?(?:\?(.*))?$/.exec(purl ?? '');
  if (p) {
    const q = new URLSearchParams(p[3] ?? '');
    const epoch = q.get('epoch');
    return {
      name: decodeURIComponent(p[1] as string),
      evr: p[2] ? `${epoch && epoch !== '0' ? `${epoch}:` : ''}${p[2]}` : null,
      arch: q.get('arch'),
    };
  }
  const m = /^(.+)-((?:\d+:)?[^-]+-[^-]+)\.([a-z0-9_]+)$/.exec(id);
  return m ? { name: m[1] as string, evr: m[2] as string, arch: m[3] as string } : { name: id, evr: null, arch: null };
}

export function parseRedhatCsaf(v: unknown): { advisories: Advisory[]; cves: CveRecord[]; modified: string | null } {
  const parsed = Csaf.safeParse(v);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FeedError('PLUMBLINE_ERR_FEED_MALFORMED', `CSAF document: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const doc = parsed.data;
  const products = new Map<string, { cpe?: string; purl?: string }>();
  const walk = (b: Branch) => {
    if (b.product) products.set(b.product.product_id, b.product.product_identification_helper ?? {});
    b.branches?.forEach(walk);
  };
  doc.product_tree.branches?.forEach(walk);
  const joined = new Map<string, { release: string | null; component: ReturnType<typeof componentOf> }>();
  for (const r of doc.product_tree.relationships ?? []) {
    joined.set(r.full_product_name.product_id, {
      release: releaseOfCpe(products.get(r.relates_to_product_reference)?.cpe),
      component: componentOf(r.product_reference, products.get(r.product_reference)?.purl),
    });
  }
  const advisories: Advisory[] = [];
  const cves: CveRecord[] = [];
  for (const vuln of doc.vulnerabilities) {
    if (!vuln.cve) continue;
    const score = vuln.scores?.find((s) => s.cvss_v3)?.cvss_v3;
    const description = vuln.notes?.find((n) => n.category === 'description')?.text ?? null;
    cves.push({ cve: vuln.cve, description, cvss: score?.baseScore ?? null, cvssVector: score?.vectorString ?? null });
    const severity = vuln.threats?.find((t) => t.category === 'impact')?.details ?? null;
    // One advisory per (release, source package): fixed in the main stream wins over open; among
    // several fixed builds (BaseOS and AppStream) the highest is the one that fixes both.
    const byKey = new Map<string, Advisory>();
    const put = (ids: string[] | undefined, status: Advisory['status']) => {
      for (const id of ids ?? []) {
        const j = joined.get(id);
        if (!j?.release) continue;
        if (status === 'fixed' && j.component.arch !== 'src') continue;
        const key = `${j.release}\u0000${j.component.name}`;
        const prev = byKey.get(key);
        if (prev?.status === 'fixed' && status !== 'fixed') continue;
        if (prev?.status === 'fixed' && status === 'fixed' && prev.fixedVersion && j.component.evr) {
          if (compareRpmVersions(j.component.evr, prev.fixedVersion) > 0) prev.fixedVersion = j.component.evr;
          continue;
        }
        byKey.set(key, {
          distro: 'rhel',
          release: j.release,
          package: j.component.name,
          cve: vuln.cve as string,
          status,
          fixedVersion: status === 'fixed' ? j.component.evr : null,
          severity,
        });
      }
    };
    put(vuln.product_status?.known_not_affected, 'not_affected');
    put(vuln.product_status?.known_affected, 'open');
    put(vuln.product_status?.fixed, 'fixed');
    advisories.push(...byKey.values());
  }
  return { advisories, cves, modified: doc.document.tracking?.current_release_date ?? null };
}
