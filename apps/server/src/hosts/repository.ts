import { appendAuditInTx } from '../audit/trail';
import { json, type Tx, type Writer } from '../db/write-batch';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { FactDiff } from '../drift/fact-diff';
import type { StoredVerdict } from '../results/repository';
import type { WaiverRow } from '../waivers/active';

/**
 * Hosts and their facts as an ingest reads and writes them (set-based SQL, see
 * db/write-batch.ts).
 */

const HOST_COLUMNS = {
  score: 'score',
  scoreWaived: 'score_waived',
  passCount: 'pass_count',
  failCount: 'fail_count',
  waivedCount: 'waived_count',
  naCount: 'na_count',
  errorCount: 'error_count',
  passWeight: 'pass_weight',
  failWeight: 'fail_weight',
  waivedWeight: 'waived_weight',
  profileId: 'profile_id',
  evaluatedAt: 'evaluated_at',
  lastSeq: 'last_seq',
  factsDigest: 'facts_digest',
  lastSeenAt: 'last_seen_at',
  connected: 'connected',
  clockSkewSeconds: 'clock_skew_seconds',
  hostname: 'hostname',
  machineId: 'machine_id',
  os: 'os',
  osId: 'os_id',
  osVersion: 'os_version',
  kernel: 'kernel',
  arch: 'arch',
} as const;

/** Host columns an ingest writes, by their model names. */
export type HostColumns = Partial<Record<keyof typeof HOST_COLUMNS, string | number | boolean | Date | null>>;

export async function updateHost(w: Writer, hostId: string, columns: HostColumns): Promise<void> {
  const set = Object.entries(columns).filter(([, v]) => v !== undefined);
  if (!set.length) return;
  await w.$executeRawUnsafe(
    `UPDATE hosts SET ${set.map(([k], i) => `${HOST_COLUMNS[k as keyof typeof HOST_COLUMNS]} = $${i + 2}`).join(', ')} WHERE id = $1::uuid`,
    hostId,
    ...set.map(([, v]) => v),
  );
}

/** What an ingest needs of a host, read with the host row locked: concurrent ingests of one agent queue here. */
export interface LockedHost {
  lastSeq: number;
  factsDigest: string | null;
  hostname: string;
  groupName: string | null;
  tags: string[];
  /** The group's `updated_at` (the policy cache's version), null when the host has no group row. */
  groupVersion: string | null;
  /** The stored facts, null before the host's first snapshot. */
  facts: StoredFacts | null;
  verdicts: Map<string, StoredVerdict>;
  /** Approved, unrevoked waivers in force at `now` whose scope covers the host, oldest first. */
  waivers: WaiverRow[];
  /** The host has an approved baseline of its own or through its group's golden host. */
  hasBaseline: boolean;
}

/**
 * A host's stored facts as an ingest reads them: every fact's digest, and the values of
 * those the ingest needs (see lockHost). A null digest marks a fact stored before digests
 * were kept; its value is always read.
 */
export interface StoredFacts {
  digests: Map<string, string | null>;
  values: Record<string, unknown>;
  errors: Record<string, unknown>;
}

/**
 * Locks the host row (FOR UPDATE) and reads, in one round trip, all an ingest needs: its
 * head, stored facts, verdicts, waivers in force, its group's policy version and whether a
 * baseline applies. Each extra query costs a round trip with the row locked, and on a busy
 * server the round trips, not the SQL, are the cost. JSON travels as text and is parsed
 * here: through the ORM's JSON mapping a 26 KB document costs several times more.
 *
 * `incoming` is the digest of each fact a snapshot or delta brings: the values of stored facts
 * with that same digest are not read (they are the message's). Of the other facts, every value
 * is read, or with `only` those it names (a delta reads what its evaluation likely needs, see
 * `IngestService.plannedReads`; the rest come through `readFactValues` if a rule reads them). A fact stored without a digest always has its value read.
 */
export async function lockHost(
  tx: Tx,
  hostId: string,
  now: Date,
  incoming: ReadonlyMap<string, string> | null = null,
  only: ReadonlySet<string> | null = null,
): Promise<LockedHost | null> {
  const rows = await tx.$queryRawUnsafe<
    Array<{
      last_seq: bigint | number | string;
      facts_digest: string | null;
      hostname: string;
      group_name: string | null;
      tags: string[];
      group_updated_at: Date | string | null;
      errors: string | null;
      fact_values: string | null;
      verdicts: string | null;
      waivers: string | null;
      has_baseline: boolean;
    }>
  >(
    `SELECT h.last_seq, h.facts_digest, h.hostname, h.group_name, h.tags, g.updated_at AS group_updated_at,
            f.errors::text AS errors,
            (SELECT json_agg(json_build_array(v.fact, v.digest,
                      CASE WHEN v.digest IS NOT NULL AND (v.digest = d.digest OR (d.fact IS NULL AND $5::boolean AND NOT v.fact = ANY($6::text[])))
                           THEN NULL ELSE json_build_array(v.value) END))
               FROM host_fact_values v LEFT JOIN unnest($3::text[], $4::text[]) AS d(fact, digest) ON d.fact = v.fact
              WHERE v.host_id = h.id)::text AS fact_values,
            (SELECT json_agg(json_build_array(r.rule_id, r.status, r.first_failed_at, r.evidence_digest)) FROM rule_results r WHERE r.host_id = h.id)::text AS verdicts,
            (SELECT json_agg(json_build_object('id', w.id, 'ruleId', w.rule_id, 'scopeType', w.scope_type, 'scopeId', w.scope_id,
                      'justification', w.justification, 'expiresAt', w.expires_at, 'requestedBy', w.requested_by, 'approvedBy', w.approved_by)
                      ORDER BY w.created_at)
               FROM waivers w
              WHERE w.revoked_at IS NULL AND w.approved_at IS NOT NULL AND w.expires_at > $2::timestamptz
                AND ((w.scope_type = 'host' AND w.scope_id = h.id::text) OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
                     OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags))))::text AS waivers,
            (EXISTS (SELECT 1 FROM host_baselines b WHERE b.host_id = h.id)
              OR EXISTS (SELECT 1 FROM group_golden_hosts gg JOIN host_baselines hb ON hb.host_id = gg.host_id
                          WHERE gg.group_name = h.group_name AND gg.host_id <> h.id)) AS has_baseline
     FROM hosts h LEFT JOIN host_facts f ON f.host_id = h.id LEFT JOIN groups g ON g.name = h.group_name
     WHERE h.id = $1::uuid FOR UPDATE OF h`,
    hostId,
    now,
    incoming ? [...incoming.keys()] : [],
    incoming ? [...incoming.values()] : [],
    only !== null,
    only ? [...only] : [],
  );
  const r = rows[0];
  if (!r) return null;
  const verdicts = JSON.parse(r.verdicts ?? '[]') as Array<[string, string, string | null, string | null]>;
  const waivers = JSON.parse(r.waivers ?? '[]') as Array<Omit<WaiverRow, 'expiresAt'> & { expiresAt: string }>;
  return {
    lastSeq: Number(r.last_seq),
    factsDigest: r.facts_digest,
    hostname: r.hostname,
    groupName: r.group_name,
    tags: r.tags ?? [],
    groupVersion: r.group_updated_at === null ? null : new Date(r.group_updated_at).toISOString(),
    facts: r.errors === null ? null : storedFacts(r.fact_values, r.errors),
    verdicts: new Map(
      verdicts.map(([ruleId, status, ff, evidenceDigest]) => [
        ruleId,
        { status, firstFailedAt: ff === null ? null : new Date(ff), evidenceDigest },
      ]),
    ),
    waivers: waivers.map((w) => ({ ...w, expiresAt: new Date(w.expiresAt) })),
    hasBaseline: r.has_baseline,
  };
}

function storedFacts(factValues: string | null, errors: string): StoredFacts {
  const digests = new Map<string, string | null>();
  const values: Record<string, unknown> = {};
  // Each value comes wrapped in a one-element array (a fact may be null itself); null is "not read".
  for (const [fact, digest, read] of JSON.parse(factValues ?? '[]') as Array<[string, string | null, [unknown] | null]>) {
    digests.set(fact, digest);
    if (read) values[fact] = read[0];
  }
  return { digests, values, errors: JSON.parse(errors) as Record<string, unknown> };
}

/** The stored values of the named facts of a host (those it has), inside the ingest's transaction. */
export async function readFactValues(tx: Tx, hostId: string, names: readonly string[]): Promise<Record<string, unknown>> {
  const rows = await tx.$queryRawUnsafe<Array<{ fact: string; value: string }>>(
    `SELECT fact, value::text AS value FROM host_fact_values WHERE host_id = $1::uuid AND fact = ANY($2::text[])`,
    hostId,
    names,
  );
  return Object.fromEntries(rows.map((r) => [r.fact, JSON.parse(r.value) as unknown]));
}

/**
 * A host's current facts, whole (the API, baselines, evaluation after a policy change); null
 * before its first snapshot. One statement, so the head and the values are of one ingest.
 */
export async function readHostFacts(
  db: Tx,
  hostId: string,
): Promise<{ facts: Record<string, unknown>; errors: Record<string, unknown>; observedAt: Date; receivedAt: Date } | null> {
  const rows = await db.$queryRawUnsafe<
    Array<{ facts: string | null; errors: string; observed_at: Date | string; received_at: Date | string }>
  >(
    `SELECT f.errors::text AS errors, f.observed_at, f.received_at,
            (SELECT json_object_agg(v.fact, v.value ORDER BY v.fact) FROM host_fact_values v WHERE v.host_id = f.host_id)::text AS facts
     FROM host_facts f WHERE f.host_id = $1::uuid`,
    hostId,
  );
  const r = rows[0];
  if (!r) return null;
  return {
    facts: JSON.parse(r.facts ?? '{}') as Record<string, unknown>,
    errors: JSON.parse(r.errors) as Record<string, unknown>,
    observedAt: new Date(r.observed_at),
    receivedAt: new Date(r.received_at),
  };
}

/**
 * Stores the host's new head and the facts whose digest differs from the stored one (new,
 * changed, or stored without a digest), and removes the facts the host no longer has.
 */
export async function writeHostFacts(
  tx: Writer,
  hostId: string,
  head: { errors: unknown; digest: string; observedAt: Date; receivedAt: Date },
  facts: Record<string, unknown>,
  digests: ReadonlyMap<string, string>,
  stored: StoredFacts | null,
): Promise<void> {
  await tx.$executeRawUnsafe(
    `INSERT INTO host_facts (host_id, errors, digest, observed_at, received_at)
     VALUES ($1::uuid, $2::jsonb, $3, $4::timestamptz, $5::timestamptz)
     ON CONFLICT (host_id) DO UPDATE SET errors = EXCLUDED.errors, digest = EXCLUDED.digest,
       observed_at = EXCLUDED.observed_at, received_at = EXCLUDED.received_at`,
    hostId,
    JSON.stringify(head.errors),
    head.digest,
    head.observedAt,
    head.receivedAt,
  );
  const written = [...digests].filter(([fact, digest]) => stored?.digests.get(fact) !== digest);
  if (written.length) {
    await tx.$executeRawUnsafe(
      `INSERT INTO host_fact_values (host_id, fact, value, digest)
       SELECT $1::uuid, f, v::jsonb, d FROM unnest($2::text[], $3::text[], $4::text[]) AS t(f, v, d)
       ON CONFLICT (host_id, fact) DO UPDATE SET value = EXCLUDED.value, digest = EXCLUDED.digest`,
      hostId,
      written.map(([fact]) => fact),
      written.map(([fact]) => JSON.stringify(facts[fact])),
      written.map(([, digest]) => digest),
    );
  }
  const removed = stored ? [...stored.digests.keys()].filter((fact) => !digests.has(fact)) : [];
  if (removed.length)
    await tx.$executeRawUnsafe('DELETE FROM host_fact_values WHERE host_id = $1::uuid AND fact = ANY($2::text[])', hostId, removed);
}

export async function insertFactChanges(
  tx: Writer,
  hostId: string,
  seq: number,
  diffs: FactDiff[],
  observedAt: Date,
  receivedAt: Date,
): Promise<void> {
  if (!diffs.length) return;
  await tx.$executeRawUnsafe(
    `INSERT INTO fact_changes (host_id, seq, fact, path, op, before, after, observed_at, received_at)
     SELECT $1::uuid, $2::bigint, f, p, o, b::jsonb, a::jsonb, $3::timestamptz, $4::timestamptz
     FROM unnest($5::text[], $6::text[], $7::text[], $8::text[], $9::text[]) AS t(f, p, o, b, a)`,
    hostId,
    seq,
    observedAt,
    receivedAt,
    diffs.map((d) => d.fact),
    diffs.map((d) => d.path),
    diffs.map((d) => d.op),
    diffs.map((d) => json(d.before)),
    diffs.map((d) => json(d.after)),
  );
}

export type HostRow = Prisma.HostGetPayload<object>;

/** Of these hostnames, those more than one host has (within the caller's group scope). */
export async function duplicateHostnames(prisma: PrismaClient, hostnames: string[], scope: string | null): Promise<Set<string>> {
  if (!hostnames.length) return new Set();
  const rows = await prisma.host.groupBy({
    by: ['hostname'],
    where: { hostname: { in: [...new Set(hostnames)] }, ...(scope !== null && { groupName: scope }) },
    _count: { _all: true },
    having: { hostname: { _count: { gt: 1 } } },
  });
  return new Set(rows.map((r) => r.hostname));
}

export function findHost(prisma: PrismaClient, id: string): Promise<HostRow | null> {
  return prisma.host.findUnique({ where: { id } });
}

/** Moves a host to a group (null: none) and/or sets its tags, audited. */
export async function assignHost(
  prisma: PrismaClient,
  hostId: string,
  change: { group?: string | null; tags?: string[] },
  actor: string,
): Promise<void> {
  const { group, tags } = change;
  await prisma.$transaction(async (tx) => {
    await tx.host.update({
      where: { id: hostId },
      data: { ...(group !== undefined && { groupName: group }), ...(tags && { tags: [...new Set(tags)].sort() }) },
    });
    await appendAuditInTx(tx, { actor, action: 'host.update', target: hostId, details: { group, tags } });
  });
}
