import type { Advisory, ParsedFeed } from '@plumbline/advisories';
import { appendAuditInTx } from '../audit/repository';
import type { Prisma, PrismaClient } from '../generated/prisma/client';

/**
 * The vulnerability domain's data access: the only module that reads or writes its tables
 * (vuln_feeds, vuln_advisories, vuln_cves, vuln_findings) or the facts it matches against.
 * Bulk writes are set-based (`unnest`), in chunks that keep each statement's parameters small.
 */
type Db = PrismaClient | Prisma.TransactionClient;
const CHUNK = 20_000;

function* chunks<T>(xs: T[]): Generator<T[]> {
  for (let i = 0; i < xs.length; i += CHUNK) yield xs.slice(i, i + CHUNK);
}

export interface FeedRow {
  kind: string;
  version: string | null;
  records: number;
  origin: string;
  importedAt: Date;
  sha256: string;
}

/**
 * Applies one parsed feed in one transaction: a Debian tracker replaces all Debian data; OSV and
 * CSAF documents replace their distribution's data for the CVEs they carry; EPSS and KEV replace
 * their column. Either all of it is stored, with its audit entry (`vulndb.import` by `actor`), or
 * nothing.
 */
export async function storeFeed(
  prisma: PrismaClient,
  feed: ParsedFeed,
  meta: { sha256: string; origin: string; now: Date; actor: string },
): Promise<number> {
  return prisma.$transaction(
    async (tx) => {
      let records: number;
      if (feed.kind === 'epss') {
        records = feed.scores.length;
        await tx.$executeRawUnsafe('UPDATE vuln_cves SET epss = NULL, epss_percentile = NULL WHERE epss IS NOT NULL');
        for (const part of chunks(feed.scores)) {
          await tx.$executeRawUnsafe(
            `INSERT INTO vuln_cves (cve, epss, epss_percentile) SELECT * FROM unnest($1::text[], $2::float8[], $3::float8[])
             ON CONFLICT (cve) DO UPDATE SET epss = EXCLUDED.epss, epss_percentile = EXCLUDED.epss_percentile`,
            part.map((s) => s.cve),
            part.map((s) => s.epss),
            part.map((s) => s.percentile),
          );
        }
      } else if (feed.kind === 'kev') {
        records = feed.entries.length;
        await tx.$executeRawUnsafe('UPDATE vuln_cves SET kev = false, kev_due_date = NULL WHERE kev');
        await tx.$executeRawUnsafe(
          `INSERT INTO vuln_cves (cve, kev, kev_due_date) SELECT c, true, d FROM unnest($1::text[], $2::text[]) AS t(c, d)
           ON CONFLICT (cve) DO UPDATE SET kev = true, kev_due_date = EXCLUDED.kev_due_date`,
          feed.entries.map((e) => e.cve),
          feed.entries.map((e) => e.dueDate),
        );
      } else {
        records = feed.advisories.length;
        if (feed.kind === 'debian-tracker') await tx.$executeRawUnsafe('DELETE FROM vuln_advisories WHERE distro = $1', feed.distro);
        else
          await tx.$executeRawUnsafe(
            'DELETE FROM vuln_advisories WHERE distro = $1 AND cve = ANY($2::text[])',
            feed.distro,
            feed.cves.map((c) => c.cve),
          );
        for (const part of chunks(feed.advisories)) {
          await tx.$executeRawUnsafe(
            `INSERT INTO vuln_advisories (distro, release, package, cve, status, fixed_version, severity)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
             ON CONFLICT (distro, release, package, cve) DO UPDATE
               SET status = EXCLUDED.status, fixed_version = EXCLUDED.fixed_version, severity = EXCLUDED.severity`,
            part.map((a) => a.distro),
            part.map((a) => a.release),
            part.map((a) => a.package),
            part.map((a) => a.cve),
            part.map((a) => a.status),
            part.map((a) => a.fixedVersion),
            part.map((a) => a.severity),
          );
        }
        for (const part of chunks(feed.cves)) {
          await tx.$executeRawUnsafe(
            `INSERT INTO vuln_cves (cve, description, cvss, cvss_vector) SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::text[])
             ON CONFLICT (cve) DO UPDATE SET description = coalesce(EXCLUDED.description, vuln_cves.description),
               cvss = coalesce(EXCLUDED.cvss, vuln_cves.cvss), cvss_vector = coalesce(EXCLUDED.cvss_vector, vuln_cves.cvss_vector)`,
            part.map((c) => c.cve),
            part.map((c) => c.description?.slice(0, 2000) ?? null),
            part.map((c) => c.cvss),
            part.map((c) => c.cvssVector),
          );
        }
      }
      await tx.vulnFeed.upsert({
        where: { kind: feed.kind },
        create: { kind: feed.kind, version: feed.version, sha256: meta.sha256, records, origin: meta.origin, importedAt: meta.now },
        update: { version: feed.version, sha256: meta.sha256, records, origin: meta.origin, importedAt: meta.now },
      });
      await appendAuditInTx(
        tx,
        { actor: meta.actor, action: 'vulndb.import', target: meta.origin, details: { kind: feed.kind, version: feed.version, records } },
        meta.now,
      );
      return records;
    },
    { maxWait: 15_000, timeout: 600_000 },
  );
}

export async function feeds(prisma: Db): Promise<FeedRow[]> {
  return prisma.vulnFeed.findMany({ orderBy: { kind: 'asc' } });
}

/** Changes whenever any feed is imported: the matcher reloads and re-matches when it moves. */
export async function dataGeneration(prisma: Db): Promise<string> {
  const rows = await prisma.vulnFeed.findMany({ select: { kind: true, sha256: true, importedAt: true }, orderBy: { kind: 'asc' } });
  return rows.map((r) => `${r.kind}:${r.sha256}:${r.importedAt.getTime()}`).join(',');
}

export async function advisories(prisma: Db): Promise<Advisory[]> {
  const rows = await prisma.vulnAdvisory.findMany({ where: { status: { not: 'not_affected' } } });
  return rows.map((r) => ({
    distro: r.distro as Advisory['distro'],
    release: r.release,
    package: r.package,
    cve: r.cve,
    status: r.status as Advisory['status'],
    fixedVersion: r.fixedVersion,
    severity: r.severity,
  }));
}

export interface CveRow {
  cve: string;
  description: string | null;
  cvss: number | null;
  epss: number | null;
  kev: boolean;
}

export async function cveRows(prisma: Db, cves: string[]): Promise<Map<string, CveRow>> {
  if (!cves.length) return new Map();
  const rows = await prisma.vulnCve.findMany({
    where: { cve: { in: cves } },
    select: { cve: true, description: true, cvss: true, epss: true, kev: true },
  });
  return new Map(rows.map((r) => [r.cve, r]));
}

/** Whether any stored advisory data names this CVE (a distribution's advisory, or its CVSS, EPSS or KEV record). */
export async function knownCve(prisma: Db, cve: string): Promise<boolean> {
  const [c, a] = await Promise.all([
    prisma.vulnCve.findUnique({ where: { cve }, select: { cve: true } }),
    prisma.vulnAdvisory.findFirst({ where: { cve }, select: { cve: true } }),
  ]);
  return c !== null || a !== null;
}

const MATCH_FACTS = ['host', 'packages', 'listening_sockets', 'services'];
/** The facts a host's package groups are made of; the rest of MATCH_FACTS only ranks findings. */
const INVENTORY_FACTS = ['host', 'packages'];
const EXPOSURE_FACTS = ['listening_sockets', 'services'];

/** `host:<digest>,packages:<digest>` of the stored values; null when one has no digest yet. */
function inventoryDigestOf(rows: { fact: string; digest: string | null }[]): string | null {
  const inv = rows.filter((r) => INVENTORY_FACTS.includes(r.fact)).sort((a, b) => (a.fact < b.fact ? -1 : 1));
  return inv.some((r) => r.digest === null) ? null : inv.map((r) => `${r.fact}:${r.digest}`).join(',');
}

export interface StoredFacts {
  /** The stored facts matching reads, by name; a missing fact is absent. */
  facts: Record<string, unknown>;
  /** Changes when the `host` or `packages` fact does (see inventoryDigests). */
  inventoryDigest: string | null;
}

/** One host's stored facts that matching reads; null for an unknown host. */
export async function hostFacts(prisma: Db, hostId: string): Promise<StoredFacts | null> {
  const host = await prisma.host.findUnique({ where: { id: hostId }, select: { id: true } });
  if (!host) return null;
  const rows = await prisma.hostFactValue.findMany({
    where: { hostId, fact: { in: MATCH_FACTS } },
    select: { fact: true, value: true, digest: true },
  });
  return { facts: Object.fromEntries(rows.map((r) => [r.fact, r.value])), inventoryDigest: inventoryDigestOf(rows) };
}

/** Every host's inventory digest (without reading the values): what a fleet-wide re-match compares with what it holds. */
export async function inventoryDigests(prisma: Db): Promise<Map<string, string | null>> {
  const rows = await prisma.$queryRawUnsafe<{ id: string; digest: string | null }[]>(
    `SELECT h.id::text AS id,
       CASE WHEN bool_or(v.fact IS NOT NULL AND v.digest IS NULL) THEN NULL
            ELSE coalesce(string_agg(v.fact || ':' || v.digest, ',' ORDER BY v.fact), '') END AS digest
     FROM hosts h LEFT JOIN host_fact_values v ON v.host_id = h.id AND v.fact = ANY($1::text[])
     GROUP BY h.id ORDER BY h.id`,
    INVENTORY_FACTS,
  );
  return new Map(rows.map((r) => [r.id, r.digest]));
}

async function factsOf(prisma: Db, hostIds: string[], facts: string[]): Promise<Map<string, StoredFacts>> {
  const rows = await prisma.hostFactValue.findMany({
    where: { hostId: { in: hostIds }, fact: { in: facts } },
    select: { hostId: true, fact: true, value: true, digest: true },
  });
  const byHost = new Map<string, (typeof rows)[number][]>(hostIds.map((id) => [id, []]));
  for (const r of rows) byHost.get(r.hostId)?.push(r);
  return new Map(
    [...byHost].map(([id, rs]) => [
      id,
      { facts: Object.fromEntries(rs.map((r) => [r.fact, r.value])), inventoryDigest: inventoryDigestOf(rs) },
    ]),
  );
}

/** The `host` and `packages` facts of some hosts. */
export const inventoryFacts = (prisma: Db, hostIds: string[]) => factsOf(prisma, hostIds, INVENTORY_FACTS);

/** The `listening_sockets` and `services` facts of some hosts, by host. */
export async function exposureFacts(prisma: Db, hostIds: string[]): Promise<Map<string, Record<string, unknown>>> {
  return new Map([...(await factsOf(prisma, hostIds, EXPOSURE_FACTS))].map(([id, f]) => [id, f.facts]));
}

export interface FindingRow {
  cve: string;
  source: string;
  installedVersion: string;
  packages: string[];
  fixedVersion: string | null;
  state: string;
  kernel: string | null;
  exposure: string;
  listeners: string[];
  priority: number;
  severity: string | null;
}

/** The columns of vuln_findings that an upsert writes, and of vuln_finding_history (which keeps no kernel). */
const FINDING_COLUMNS = [
  'cve',
  'source',
  'installedVersion',
  'packages',
  'fixedVersion',
  'state',
  'kernel',
  'exposure',
  'listeners',
  'priority',
  'severity',
] as const;
const HISTORY_COLUMNS = FINDING_COLUMNS.filter((c) => c !== 'kernel');

/** Per column named, the findings' values as an unnest() array; list columns are newline-joined. */
function findingColumns(part: FindingRow[], columns: readonly (keyof FindingRow)[]): unknown[][] {
  return columns.map((c) => part.map((f) => (Array.isArray(f[c]) ? f[c].join('\n') : f[c])));
}

const key = (f: { cve: string; source: string; installedVersion: string }) => `${f.cve}\u0000${f.source}\u0000${f.installedVersion}`;

/**
 * Makes a host's stored findings `next`, in one transaction, and records a drift event for
 * each finding gained or lost (webhooks follow the drift table). Unchanged findings keep their
 * first-seen time. Returns what was gained and lost.
 */
export async function replaceFindings(
  prisma: PrismaClient,
  hostId: string,
  next: FindingRow[],
  now: Date,
  severityOf: (priority: number) => string,
): Promise<{ gained: FindingRow[]; lost: FindingRow[] }> {
  return prisma.$transaction(
    async (tx) => {
      // The host row is the lock: two matches of one host never interleave.
      const locked = await tx.$queryRawUnsafe<{ id: string }[]>('SELECT id FROM hosts WHERE id = $1::uuid FOR UPDATE', hostId);
      if (!locked.length) return { gained: [], lost: [] };
      const stored = await tx.vulnFinding.findMany({ where: { hostId } });
      const before = new Map(stored.map((f) => [key(f), f]));
      const after = new Map(next.map((f) => [key(f), f]));
      const gained = next.filter((f) => !before.has(key(f)));
      const lost = stored.filter((f) => !after.has(key(f)));
      const changed = next.filter((f) => {
        const b = before.get(key(f));
        return (
          b &&
          (b.priority !== f.priority ||
            b.exposure !== f.exposure ||
            b.state !== f.state ||
            b.fixedVersion !== f.fixedVersion ||
            b.listeners.join() !== f.listeners.join() ||
            b.packages.join() !== f.packages.join())
        );
      });
      if (lost.length)
        await tx.$executeRawUnsafe(
          `DELETE FROM vuln_findings f USING unnest($2::text[], $3::text[], $4::text[]) AS t(c, s, v)
           WHERE f.host_id = $1::uuid AND f.cve = t.c AND f.source = t.s AND f.installed_version = t.v`,
          hostId,
          lost.map((f) => f.cve),
          lost.map((f) => f.source),
          lost.map((f) => f.installedVersion),
        );
      // The history: a span closes for each finding lost or changed, and opens for each gained or changed.
      const closed = [...lost, ...changed];
      if (closed.length)
        await tx.$executeRawUnsafe(
          `UPDATE vuln_finding_history f SET seen_until = $2::timestamptz FROM unnest($3::text[], $4::text[], $5::text[]) AS t(c, s, v)
           WHERE f.host_id = $1::uuid AND f.seen_until IS NULL AND f.cve = t.c AND f.source = t.s AND f.installed_version = t.v`,
          hostId,
          now,
          closed.map((f) => f.cve),
          closed.map((f) => f.source),
          closed.map((f) => f.installedVersion),
        );
      const upserts = [...gained, ...changed];
      for (const part of chunks(upserts)) {
        await tx.$executeRawUnsafe(
          `INSERT INTO vuln_findings (host_id, cve, source, installed_version, packages, fixed_version, state, kernel, exposure, listeners, priority, severity, first_seen)
           SELECT $1::uuid, c, s, v, string_to_array(p, E'\\n'), fx, st, k, e, CASE WHEN l = '' THEN ARRAY[]::text[] ELSE string_to_array(l, E'\\n') END, pr, sv, $2::timestamptz
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::int[], $13::text[])
             AS t(c, s, v, p, fx, st, k, e, l, pr, sv)
           ON CONFLICT (host_id, cve, source, installed_version) DO UPDATE SET packages = EXCLUDED.packages, fixed_version = EXCLUDED.fixed_version,
             state = EXCLUDED.state, kernel = EXCLUDED.kernel, exposure = EXCLUDED.exposure, listeners = EXCLUDED.listeners,
             priority = EXCLUDED.priority, severity = EXCLUDED.severity`,
          hostId,
          now,
          ...findingColumns(part, FINDING_COLUMNS),
        );
      }
      for (const part of chunks(upserts)) {
        await tx.$executeRawUnsafe(
          `INSERT INTO vuln_finding_history (host_id, cve, source, installed_version, packages, fixed_version, state, exposure, listeners, priority, severity, seen_from)
           SELECT $1::uuid, c, s, v, string_to_array(p, E'\\n'), fx, st, e, CASE WHEN l = '' THEN ARRAY[]::text[] ELSE string_to_array(l, E'\\n') END, pr, sv, $2::timestamptz
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::int[], $12::text[])
             AS t(c, s, v, p, fx, st, e, l, pr, sv)`,
          hostId,
          now,
          ...findingColumns(part, HISTORY_COLUMNS),
        );
      }
      // Events are per (CVE, source package): an update that leaves a CVE open is no change, and a
      // kernel that is installed but not running is listed, never counted.
      const counted = (xs: FindingRow[]) => new Map(xs.filter((f) => f.exposure !== 'not_running').map((f) => [`${f.cve} ${f.source}`, f]));
      const was = counted(stored);
      const is = counted(next);
      const events = [
        ...[...is].filter(([k]) => !was.has(k)).map(([, f]) => ['regression', f] as const),
        ...[...was].filter(([k]) => !is.has(k)).map(([, f]) => ['improvement', f] as const),
      ];
      if (events.length) {
        await tx.$executeRawUnsafe(
          `INSERT INTO drift_events (host_id, kind, severity, rule_id, path, direction, before, after, observed_at, received_at)
           SELECT $1::uuid, 'vulnerability', sv, NULL, p, d, b::jsonb, a::jsonb, $2::timestamptz, $2::timestamptz
           FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS t(sv, p, d, b, a)`,
          hostId,
          now,
          events.map(([, f]) => severityOf(f.priority)),
          events.map(([, f]) => `${f.cve} ${f.source}`),
          events.map(([d]) => d),
          events.map(([d, f]) => (d === 'improvement' ? JSON.stringify(describe(f)) : null)),
          events.map(([d, f]) => (d === 'regression' ? JSON.stringify(describe(f)) : null)),
        );
      }
      return { gained, lost };
    },
    { maxWait: 15_000, timeout: 60_000 },
  );
}

const describe = (f: FindingRow) =>
  `${f.cve} in ${f.source} ${f.installedVersion}${f.fixedVersion ? ` (fixed in ${f.fixedVersion})` : ' (no fix yet)'}, ${f.exposure}${f.listeners.length ? ` ${f.listeners.join(' ')}` : ''}`;

export interface StoredFinding extends FindingRow {
  hostId: string;
  hostname: string;
  /** The host's group and tags: what a waiver's scope is matched against. */
  group: string | null;
  tags: string[];
  firstSeen: Date;
  description: string | null;
  cvss: number | null;
  epss: number | null;
  kev: boolean;
}

export interface FindingFilter {
  hostId?: string | undefined;
  group?: string | undefined;
  cve?: string | undefined;
  package?: string | undefined;
  exposure?: string | undefined;
  state?: string | undefined;
  kev?: boolean | undefined;
  minPriority?: number | undefined;
  maxPriority?: number | undefined;
  notRunning?: boolean | undefined;
}

/** Stored findings with their CVE facts, filtered; `group` limits to one group's hosts. */
export async function findings(prisma: Db, where: FindingFilter): Promise<StoredFinding[]> {
  const rows = await prisma.vulnFinding.findMany({
    where: {
      ...(where.hostId && { hostId: where.hostId }),
      ...(where.group && { host: { groupName: where.group } }),
      ...(where.cve && { cve: where.cve.toUpperCase() }),
      ...(where.package && { OR: [{ source: where.package }, { packages: { has: where.package } }] }),
      ...(where.exposure ? { exposure: where.exposure } : where.notRunning ? {} : { exposure: { not: 'not_running' } }),
      ...(where.state && { state: where.state }),
      ...((where.minPriority !== undefined || where.maxPriority !== undefined) && {
        priority: { gte: where.minPriority, lte: where.maxPriority },
      }),
    },
    include: { host: { select: { hostname: true, groupName: true, tags: true } } },
    orderBy: [{ priority: 'desc' }, { cve: 'asc' }],
  });
  const info = await cveRows(prisma, [...new Set(rows.map((r) => r.cve))]);
  const out: StoredFinding[] = [];
  for (const r of rows) {
    const c = info.get(r.cve);
    if (where.kev !== undefined && (c?.kev ?? false) !== where.kev) continue;
    out.push({
      hostId: r.hostId,
      hostname: r.host.hostname,
      group: r.host.groupName,
      tags: r.host.tags,
      cve: r.cve,
      source: r.source,
      installedVersion: r.installedVersion,
      packages: r.packages,
      fixedVersion: r.fixedVersion,
      state: r.state,
      kernel: r.kernel,
      exposure: r.exposure,
      listeners: r.listeners,
      priority: r.priority,
      severity: r.severity,
      firstSeen: r.firstSeen,
      description: c?.description ?? null,
      cvss: c?.cvss ?? null,
      epss: c?.epss ?? null,
      kev: c?.kev ?? false,
    });
  }
  return out;
}

/** A finding as the history kept it (no kernel), with its host and the advisory scores. */
export interface FindingAsOf extends Omit<FindingRow, 'kernel'> {
  hostId: string;
  /** When the finding, as it was at the time asked for, began. */
  since: Date;
  cvss: number | null;
  epss: number | null;
  kev: boolean;
}

/**
 * Some hosts' findings as they were at `at` (kernels not running left out), most urgent first
 * per host. CVSS, EPSS and KEV are today's: the feeds keep no history.
 */
export async function findingsAsOf(prisma: Db, hostIds: string[], at: Date): Promise<FindingAsOf[]> {
  if (!hostIds.length) return [];
  return prisma.$queryRawUnsafe<FindingAsOf[]>(
    `SELECT f.host_id::text AS "hostId", f.cve, f.source, f.installed_version AS "installedVersion", coalesce(f.packages, ARRAY[]::text[]) AS packages,
       f.fixed_version AS "fixedVersion", f.state, f.exposure, coalesce(f.listeners, ARRAY[]::text[]) AS listeners, f.priority, f.severity,
       f.seen_from AS since, c.cvss, c.epss, coalesce(c.kev, false) AS kev
     FROM vuln_finding_history f LEFT JOIN vuln_cves c ON c.cve = f.cve
     WHERE f.host_id = ANY($1::uuid[]) AND f.seen_from <= $2::timestamptz AND (f.seen_until IS NULL OR f.seen_until > $2::timestamptz)
       AND f.exposure <> 'not_running'
     ORDER BY f.host_id, f.priority DESC, f.cve, f.source, f.installed_version`,
    hostIds,
    at,
  );
}
