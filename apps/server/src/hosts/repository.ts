import { appendAuditInTx } from '../audit/repository';
import { json, jsonbColumn, jsonTexts, WriteBatch, type BulkWrite, type Tx } from '../db/write-batch';
import { containsText } from '../db/like';
import type { HostsFilter, HostsQuery } from '@plumbline/protocol/api';
import type { z } from 'zod';
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { FactDiff } from '../drift/fact-diff';
import { insertDrift, type DriftRow } from '../drift/repository';
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
  verdictsRev: 'verdicts_rev',
} as const;

/**
 * The revision a host's verdicts move to when they are written over `rev`. Past PostgreSQL's
 * integer it starts again at 0, as the database's own count does (see the migration
 * `host_verdicts_rev`: a writer that does not set the revision has its writes counted by a trigger).
 */
export const nextVerdictsRev = (rev: number): number => (rev + 1) % 2_147_483_647;

/** Each column's SQL type, for the arrays of a multi-row update. */
const HOST_COLUMN_TYPES: Record<keyof typeof HOST_COLUMNS, string> = {
  score: 'float8',
  scoreWaived: 'float8',
  passCount: 'int4',
  failCount: 'int4',
  waivedCount: 'int4',
  naCount: 'int4',
  errorCount: 'int4',
  passWeight: 'int4',
  failWeight: 'int4',
  waivedWeight: 'int4',
  profileId: 'text',
  evaluatedAt: 'timestamptz',
  lastSeq: 'int8',
  factsDigest: 'text',
  lastSeenAt: 'timestamptz',
  connected: 'boolean',
  clockSkewSeconds: 'int4',
  hostname: 'text',
  machineId: 'text',
  os: 'text',
  osId: 'text',
  osVersion: 'text',
  kernel: 'text',
  arch: 'text',
  verdictsRev: 'int4',
};

/** Host columns an ingest writes, by their model names. */
export type HostColumns = Partial<Record<keyof typeof HOST_COLUMNS, string | number | boolean | Date | null>>;

/**
 * The host rows of a batch, one UPDATE: each column comes as an array, and a column only some
 * hosts set keeps the others' value (a second array says which set it).
 */
const HOST_UPDATES: BulkWrite<{ hostId: string; columns: HostColumns }> = {
  name: 'hosts',
  statement(list) {
    const byHost = new Map<string, HostColumns>();
    for (const { hostId, columns } of list) byHost.set(hostId, { ...byHost.get(hostId), ...columns });
    const rows = [...byHost];
    const names = [...new Set(rows.flatMap(([, c]) => Object.keys(c).filter((k) => c[k as keyof HostColumns] !== undefined)))] as Array<
      keyof typeof HOST_COLUMNS
    >;
    if (!names.length) return null;
    const values: unknown[] = [rows.map(([id]) => id)];
    const args = ['$1::uuid[]'];
    const aliases = ['id'];
    const sets: string[] = [];
    names.forEach((name, i) => {
      const column = HOST_COLUMNS[name];
      values.push(rows.map(([, c]) => c[name] ?? null));
      args.push(`$${values.length}::${HOST_COLUMN_TYPES[name]}[]`);
      aliases.push(`c${i}`);
      if (rows.every(([, c]) => c[name] !== undefined)) return void sets.push(`${column} = v.c${i}`);
      values.push(rows.map(([, c]) => c[name] !== undefined));
      args.push(`$${values.length}::boolean[]`);
      aliases.push(`s${i}`);
      sets.push(`${column} = CASE WHEN v.s${i} THEN v.c${i} ELSE h.${column} END`);
    });
    return {
      sql: `UPDATE hosts h SET ${sets.join(', ')} FROM unnest(${args.join(', ')}) AS v(${aliases.join(', ')}) WHERE h.id = v.id`,
      values,
    };
  },
};

export function updateHost(batch: WriteBatch, hostId: string, columns: HostColumns): void {
  batch.add(HOST_UPDATES, [{ hostId, columns }]);
}

/** What an ingest needs of a host, read with the host row locked: concurrent ingests of one agent queue here. */
export interface LockedHost {
  lastSeq: number;
  factsDigest: string | null;
  hostname: string;
  lastSeenAt: Date | null;
  groupName: string | null;
  tags: string[];
  /** The group's `updated_at` (the policy cache's version), null when the host has no group row. */
  groupVersion: string | null;
  /** The stored facts, null before the host's first snapshot. */
  facts: StoredFacts | null;
  /** The stored verdicts: all of them, or with `verdictsPartial` only those of the rules the read was told are needed. */
  verdicts: Map<string, StoredVerdict>;
  verdictsPartial: boolean;
  /** The revision of the stored verdicts (see `nextVerdictsRev`). */
  verdictsRev: number;
  /** Approved, unrevoked waivers in force at `now` whose scope covers the host, oldest first. */
  waivers: WaiverRow[];
  /** The host has an approved baseline of its own or through its group's golden host. */
  hasBaseline: boolean;
}

/**
 * A host's stored facts as an ingest reads them: every fact's digest, and the values of
 * those the ingest needs (see lockHosts). A null digest marks a fact stored before digests
 * were kept; its value is always read.
 */
export interface StoredFacts {
  digests: Map<string, string | null>;
  values: Record<string, unknown>;
  errors: Record<string, unknown>;
}

/** What the locked read of one host skips or fetches of its stored fact values and verdicts (see lockHosts). */
export interface FactReads {
  /** The digest of each fact the message brings: stored values with the same digest are not read. */
  incoming: ReadonlyMap<string, string> | null;
  /** Of the other facts, those whose values are read; null: every one. */
  only: ReadonlySet<string> | null;
  /** The verdicts the caller knows, as of a revision: if they are still at it, only the `needed` ones are read. */
  known?: { rev: number; needed: readonly string[] } | null;
}

/**
 * Tells the database, for the rest of the transaction, that its writes of verdicts set the
 * revision themselves: the trigger of the migration `host_verdicts_rev` then leaves them alone.
 */
const SETS_VERDICTS_REV = `set_config('plumbline.verdicts_rev', 'set', true)`;

/**
 * A host's verdicts revision, its row locked, for a transaction that writes the next one
 * itself (`nextVerdictsRev`) and tells the database so (see lockHosts). Null when the host is gone.
 */
export async function lockVerdictsRev(tx: Tx, hostId: string): Promise<number | null> {
  const rows = await tx.$queryRawUnsafe<Array<{ verdicts_rev: number }>>(
    `SELECT verdicts_rev, ${SETS_VERDICTS_REV} AS sets_rev FROM hosts WHERE id = $1::uuid FOR UPDATE`,
    hostId,
  );
  return rows[0]?.verdicts_rev ?? null;
}

/** The stored verdicts of `r` as lines (see parseVerdicts), aggregated. */
const VERDICT_LINES = `string_agg(concat_ws(E'\\t', r.rule_id, r.status, coalesce(r.evidence_digest, ''),
                                 coalesce(floor(extract(epoch FROM r.first_failed_at) * 1000)::bigint::text, '')), E'\\n')`;

/**
 * Locks hosts' rows for the rest of the transaction, in id order (so that two transactions
 * locking some of the same hosts cannot deadlock). A statement of its own: a statement reads
 * what was committed when it started, and one that waits for a row lock sees the row's new
 * version but nothing else the other writer committed; the reads come after, in the next one.
 */
async function lockHostRows(tx: Tx, hostIds: readonly string[]): Promise<void> {
  await tx.$executeRawUnsafe(`SELECT 1 FROM hosts WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, hostIds);
}

/** As JSON text (see parseWaivers): the approved, unrevoked rule waivers in force at `now` (a parameter) whose scope covers host `h`, oldest first. */
const waiversOfHost = (now: string) =>
  `(SELECT json_agg(json_build_object('id', w.id, 'ruleId', w.rule_id, 'scopeType', w.scope_type, 'scopeId', w.scope_id,
             'justification', w.justification, 'expiresAt', w.expires_at, 'requestedBy', w.requested_by, 'approvedBy', w.approved_by)
             ORDER BY w.created_at)
      FROM waivers w
     WHERE w.rule_id IS NOT NULL AND w.revoked_at IS NULL AND w.approved_at IS NOT NULL AND w.expires_at > ${now}::timestamptz
       AND ((w.scope_type = 'host' AND w.scope_id = h.id::text) OR (w.scope_type = 'group' AND w.scope_id = h.group_name)
            OR (w.scope_type = 'tag' AND w.scope_id = ANY(h.tags))))::text`;

function parseWaivers(text: string | null): WaiverRow[] {
  const waivers = JSON.parse(text ?? '[]') as Array<Omit<WaiverRow, 'expiresAt'> & { expiresAt: string }>;
  return waivers.map((w) => ({ ...w, expiresAt: new Date(w.expiresAt) }));
}

/** A host as rescoring reads it: its scoring columns, its stored verdicts (read as lockHosts reads them), and the waivers in force. */
export interface RescoredHost {
  id: string;
  hostname: string;
  groupName: string | null;
  tags: string[];
  profileId: string | null;
  score: number | null;
  scoreWaived: number | null;
  lastSeenAt: Date | null;
  verdicts: Map<string, StoredVerdict>;
  waivers: WaiverRow[];
}

/**
 * Locks hosts' rows and reads what rescoring them needs, all of them in one query. Locked
 * first: a score computed from verdicts read before an ingest committed new ones would be
 * written over that ingest's score. A host that no longer exists is left out.
 */
export async function hostsForRescore(tx: Tx, hostIds: readonly string[], now: Date): Promise<RescoredHost[]> {
  await lockHostRows(tx, hostIds);
  const rows = await tx.$queryRawUnsafe<
    Array<{
      id: string;
      hostname: string;
      group_name: string | null;
      tags: string[] | null;
      profile_id: string | null;
      score: number | null;
      score_waived: number | null;
      last_seen_at: Date | string | null;
      verdicts: string | null;
      waivers: string | null;
    }>
  >(
    `SELECT h.id::text AS id, h.hostname, h.group_name, h.tags, h.profile_id, h.score, h.score_waived, h.last_seen_at,
            (SELECT ${VERDICT_LINES} FROM rule_results r WHERE r.host_id = h.id) AS verdicts,
            ${waiversOfHost('$2')} AS waivers
       FROM hosts h WHERE h.id = ANY($1::uuid[]) ORDER BY h.id`,
    hostIds,
    now,
  );
  return rows.map((r) => ({
    id: r.id,
    hostname: r.hostname,
    groupName: r.group_name,
    tags: r.tags ?? [],
    profileId: r.profile_id,
    score: r.score === null ? null : Number(r.score),
    scoreWaived: r.score_waived === null ? null : Number(r.score_waived),
    lastSeenAt: r.last_seen_at === null ? null : new Date(r.last_seen_at),
    verdicts: parseVerdicts(r.verdicts),
    waivers: parseWaivers(r.waivers),
  }));
}

/**
 * Locks the rows of a batch's hosts (FOR UPDATE, in id order, so batches that share a host
 * cannot deadlock) and reads, in one more round trip, all their ingests need: each host's head,
 * stored facts, verdicts, waivers in force, its group's policy version and whether a baseline
 * applies. Each extra query costs a round trip with the rows locked, and on a busy server the
 * round trips, not the SQL, are the cost. JSON travels as text and is parsed here: through
 * the ORM's JSON mapping a 26 KB document costs several times more.
 *
 * Per host, `incoming` is the digest of each fact a snapshot or delta brings: the values of
 * stored facts with that same digest are not read (they are the message's). Of the other
 * facts, every value is read, or with `only` those it names (a delta reads what its evaluation
 * likely needs, see `IngestService.plannedReads`; the rest come through `readFactValues` if a
 * rule reads them). A fact stored without a digest always has its value read. Verdicts are
 * read whole, or, when the caller `known` them at the revision still stored, only those it
 * names as `needed` (the rest through `storedVerdicts`). The revision is read with the row
 * locked, so the transaction writes the next one itself (`nextVerdictsRev`), and tells the
 * database so. A host that no longer exists is missing from the answer.
 *
 * The rows are locked before they are read (see lockHostRows): another writer's facts and
 * verdicts committed while this waited (an ingest on another replica, a re-evaluation here)
 * are what it reads.
 */
export async function lockHosts(tx: Tx, reads: ReadonlyMap<string, FactReads>, now: Date): Promise<Map<string, LockedHost>> {
  await lockHostRows(tx, [...reads.keys()]);
  const incoming = [...reads].flatMap(([hostId, r]) => [...(r.incoming ?? [])].map(([fact, digest]) => [hostId, fact, digest] as const));
  const limited = [...reads].filter(([, r]) => r.only !== null);
  const only = limited.flatMap(([hostId, r]) => [...(r.only ?? [])].map((fact) => [hostId, fact] as const));
  const known = [...reads].flatMap(([hostId, r]) => (r.known ? [[hostId, r.known] as const] : []));
  const needed = known.flatMap(([hostId, k]) => k.needed.map((ruleId) => [hostId, ruleId] as const));
  const rows = await tx.$queryRawUnsafe<
    Array<{
      id: string;
      last_seq: bigint | number | string;
      facts_digest: string | null;
      hostname: string;
      last_seen_at: Date | string | null;
      group_name: string | null;
      tags: string[];
      group_updated_at: Date | string | null;
      errors: string | null;
      fact_values: string | null;
      verdicts: string | null;
      verdicts_rev: number;
      verdicts_partial: boolean;
      waivers: string | null;
      has_baseline: boolean;
    }>
  >(
    `WITH d AS (SELECT * FROM unnest($3::uuid[], $4::text[], $5::text[]) AS d(host_id, fact, digest)),
          o AS (SELECT * FROM unnest($7::uuid[], $8::text[]) AS o(host_id, fact)),
          k AS (SELECT * FROM unnest($9::uuid[], $10::int4[]) AS k(host_id, rev)),
          n AS (SELECT * FROM unnest($11::uuid[], $12::text[]) AS n(host_id, rule_id))
     SELECT h.id::text AS id, h.last_seq, h.facts_digest, h.hostname, h.last_seen_at, h.group_name, h.tags, g.updated_at AS group_updated_at,
            f.errors::text AS errors,
            (SELECT json_agg(json_build_array(v.fact, v.digest,
                      CASE WHEN v.digest IS NOT NULL AND (v.digest = d.digest OR (d.fact IS NULL AND h.id = ANY($6::uuid[])
                                 AND NOT EXISTS (SELECT 1 FROM o WHERE o.host_id = v.host_id AND o.fact = v.fact)))
                           THEN NULL ELSE json_build_array(v.value) END))
               FROM host_fact_values v LEFT JOIN d ON d.host_id = v.host_id AND d.fact = v.fact
              WHERE v.host_id = h.id)::text AS fact_values,
            h.verdicts_rev, coalesce(k.rev = h.verdicts_rev, false) AS verdicts_partial,
            -- This transaction sets the revision itself (nextVerdictsRev).
            ${SETS_VERDICTS_REV} AS sets_rev,
            CASE WHEN k.rev = h.verdicts_rev
                 THEN (SELECT ${VERDICT_LINES} FROM n JOIN rule_results r ON r.host_id = n.host_id AND r.rule_id = n.rule_id
                        WHERE n.host_id = h.id)
                 ELSE (SELECT ${VERDICT_LINES} FROM rule_results r WHERE r.host_id = h.id) END AS verdicts,
            ${waiversOfHost('$2')} AS waivers,
            (EXISTS (SELECT 1 FROM host_baselines b WHERE b.host_id = h.id)
              OR EXISTS (SELECT 1 FROM group_golden_hosts gg JOIN host_baselines hb ON hb.host_id = gg.host_id
                          WHERE gg.group_name = h.group_name AND gg.host_id <> h.id)) AS has_baseline
     FROM hosts h LEFT JOIN host_facts f ON f.host_id = h.id LEFT JOIN groups g ON g.name = h.group_name LEFT JOIN k ON k.host_id = h.id
     WHERE h.id = ANY($1::uuid[])`,
    [...reads.keys()],
    now,
    incoming.map(([hostId]) => hostId),
    incoming.map(([, fact]) => fact),
    incoming.map(([, , digest]) => digest),
    limited.map(([hostId]) => hostId),
    only.map(([hostId]) => hostId),
    only.map(([, fact]) => fact),
    known.map(([hostId]) => hostId),
    known.map(([, k]) => k.rev),
    needed.map(([hostId]) => hostId),
    needed.map(([, ruleId]) => ruleId),
  );
  const hosts = new Map<string, LockedHost>();
  for (const r of rows) {
    hosts.set(r.id, {
      lastSeq: Number(r.last_seq),
      factsDigest: r.facts_digest,
      hostname: r.hostname,
      lastSeenAt: r.last_seen_at === null ? null : new Date(r.last_seen_at),
      groupName: r.group_name,
      tags: r.tags ?? [],
      groupVersion: r.group_updated_at === null ? null : new Date(r.group_updated_at).toISOString(),
      facts: r.errors === null ? null : storedFacts(r.fact_values, r.errors),
      verdicts: parseVerdicts(r.verdicts),
      verdictsPartial: r.verdicts_partial,
      verdictsRev: r.verdicts_rev,
      waivers: parseWaivers(r.waivers),
      hasBaseline: r.has_baseline,
    });
  }
  return hosts;
}

/**
 * A host's stored verdicts as the locked read sends them: a line per rule, its fields
 * separated by tabs (rule id, status, evidence digest, first failure in epoch milliseconds;
 * the last two empty when null). Rule ids are `plb-` and lower-case words, statuses fixed
 * words and digests base64, so neither separator occurs in a field. A row per rule as JSON
 * cost the database twice the time to build, for 193 rules and 32 hosts a batch.
 */
function parseVerdicts(text: string | null): Map<string, StoredVerdict> {
  const verdicts = new Map<string, StoredVerdict>();
  if (!text) return verdicts;
  for (const line of text.split('\n')) {
    const [ruleId, status, digest, failedAt] = line.split('\t') as [string, string, string?, string?];
    verdicts.set(ruleId, {
      status,
      evidenceDigest: digest || null,
      firstFailedAt: failedAt ? new Date(Number(failedAt)) : null,
    });
  }
  return verdicts;
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

const HOST_FACT_HEADS: BulkWrite<{ hostId: string; errors: unknown; digest: string; observedAt: Date; receivedAt: Date }> = {
  name: 'host_facts',
  statement: (rows) => ({
    sql: `INSERT INTO host_facts (host_id, errors, digest, observed_at, received_at)
     SELECT h, e, d, o, r FROM unnest($1::uuid[], ${jsonbColumn('$2')}, $3::text[], $4::timestamptz[], $5::timestamptz[]) AS t(h, e, d, o, r)
     ON CONFLICT (host_id) DO UPDATE SET errors = EXCLUDED.errors, digest = EXCLUDED.digest,
       observed_at = EXCLUDED.observed_at, received_at = EXCLUDED.received_at`,
    values: [
      rows.map((r) => r.hostId),
      jsonTexts(rows.map((r) => json(r.errors))),
      rows.map((r) => r.digest),
      rows.map((r) => r.observedAt),
      rows.map((r) => r.receivedAt),
    ],
  }),
};

const FACT_VALUES: BulkWrite<{ hostId: string; fact: string; value: string; digest: string }> = {
  name: 'host_fact_values',
  statement: (rows) => ({
    sql: `INSERT INTO host_fact_values (host_id, fact, value, digest)
     SELECT h, f, v, d FROM unnest($1::uuid[], $2::text[], ${jsonbColumn('$3')}, $4::text[]) AS t(h, f, v, d)
     ON CONFLICT (host_id, fact) DO UPDATE SET value = EXCLUDED.value, digest = EXCLUDED.digest`,
    values: [rows.map((r) => r.hostId), rows.map((r) => r.fact), jsonTexts(rows.map((r) => r.value)), rows.map((r) => r.digest)],
  }),
};

const FACT_VALUE_REMOVALS: BulkWrite<{ hostId: string; fact: string }> = {
  name: 'host_fact_values (removed)',
  statement: (rows) => ({
    sql: `DELETE FROM host_fact_values v USING unnest($1::uuid[], $2::text[]) AS t(h, f) WHERE v.host_id = t.h AND v.fact = t.f`,
    values: [rows.map((r) => r.hostId), rows.map((r) => r.fact)],
  }),
};

/**
 * Stores the host's new head and the facts whose digest differs from the stored one (new,
 * changed, or stored without a digest), and removes the facts the host no longer has.
 */
export function writeHostFacts(
  batch: WriteBatch,
  hostId: string,
  head: { errors: unknown; digest: string; observedAt: Date; receivedAt: Date },
  facts: Record<string, unknown>,
  digests: ReadonlyMap<string, string>,
  stored: StoredFacts | null,
): void {
  batch.add(HOST_FACT_HEADS, [{ hostId, ...head }]);
  const written = [...digests].filter(([fact, digest]) => stored?.digests.get(fact) !== digest);
  batch.add(
    FACT_VALUES,
    written.map(([fact, digest]) => ({ hostId, fact, value: json(facts[fact]), digest })),
  );
  const removed = stored ? [...stored.digests.keys()].filter((fact) => !digests.has(fact)) : [];
  batch.add(
    FACT_VALUE_REMOVALS,
    removed.map((fact) => ({ hostId, fact })),
  );
}

const FACT_CHANGES: BulkWrite<FactDiff & { hostId: string; seq: number; observedAt: Date; receivedAt: Date }> = {
  name: 'fact_changes',
  statement: (rows) => ({
    sql: `INSERT INTO fact_changes (host_id, seq, fact, path, op, before, after, observed_at, received_at)
     SELECT h, s, f, p, o, b, a, ob, rc
     FROM unnest($1::uuid[], $2::int8[], $3::text[], $4::text[], $5::text[], ${jsonbColumn('$6')}, ${jsonbColumn('$7')}, $8::timestamptz[], $9::timestamptz[])
       AS t(h, s, f, p, o, b, a, ob, rc)`,
    values: [
      rows.map((r) => r.hostId),
      rows.map((r) => r.seq),
      rows.map((r) => r.fact),
      rows.map((r) => r.path),
      rows.map((r) => r.op),
      jsonTexts(rows.map((r) => json(r.before))),
      jsonTexts(rows.map((r) => json(r.after))),
      rows.map((r) => r.observedAt),
      rows.map((r) => r.receivedAt),
    ],
  }),
};

export function insertFactChanges(
  batch: WriteBatch,
  hostId: string,
  seq: number,
  diffs: FactDiff[],
  observedAt: Date,
  receivedAt: Date,
): void {
  batch.add(
    FACT_CHANGES,
    diffs.map((d) => ({ ...d, hostId, seq, observedAt, receivedAt })),
  );
}

export type HostRow = Prisma.HostGetPayload<object>;

/** Online as isOnline() judges it, each host by its own interval (at least 90 s), in SQL. */
export const ONLINE_SQL = `connected AND last_seen_at > now() - make_interval(secs => greatest(90, 3 * coalesce(interval_seconds, 30)))`;

const NULLABLE_SORTS = new Set(['os', 'lastSeenAt', 'score']);

/** The hosts list's filters (and a group-scoped caller's group), all applied in the database. */
function hostFilter(q: z.infer<typeof HostsFilter>, scope: string | null, now = Date.now()): Prisma.HostWhereInput {
  const and: Prisma.HostWhereInput[] = [];
  if (q.q) and.push({ OR: [{ hostname: containsText(q.q) }, { os: containsText(q.q) }] });
  if (q.group) and.push({ groupName: q.group });
  if (q.tag) and.push({ tags: { has: q.tag } });
  if (q.os) and.push({ osId: q.os });
  if (q.minScore !== undefined) and.push({ score: { gte: q.minScore } });
  if (q.maxScore !== undefined) and.push({ score: { lte: q.maxScore } });
  if (q.failing) and.push({ results: { some: { ruleId: q.failing, status: 'fail' } } });
  // Online as isOnline() judges it, with the common 90 s floor (3 x the default interval).
  const fresh = { connected: true, lastSeenAt: { gt: new Date(now - 90_000) } };
  if (q.online === 'true') and.push(fresh);
  if (q.online === 'false') and.push({ NOT: fresh });
  if (scope !== null) and.push({ groupName: scope });
  return and.length ? { AND: and } : {};
}

/**
 * Hosts never seen, not yet scored or without an OS sort last, whichever the direction; ties go
 * by name. Among equal scores, the host with more failing weight is the worse one (as the
 * triage's worst hosts are ordered).
 */
function orderOf(sort: z.infer<typeof HostsQuery>['sort'], order: 'asc' | 'desc'): Prisma.HostOrderByWithRelationInput[] {
  const worse = order === 'asc' ? 'desc' : 'asc';
  return [
    { [sort]: NULLABLE_SORTS.has(sort) ? { sort: order, nulls: 'last' } : order },
    ...(sort === 'score' ? [{ failWeight: worse } as const] : []),
    ...(sort === 'hostname' ? [] : [{ hostname: 'asc' as const }]),
    { id: 'asc' },
  ];
}

/** One page of the hosts list as filtered and sorted. */
export async function hostsPage(prisma: PrismaClient, query: z.infer<typeof HostsQuery>, scope: string | null) {
  const where = hostFilter(query, scope);
  const [rows, total] = await Promise.all([
    prisma.host.findMany({ where, orderBy: orderOf(query.sort, query.order), skip: query.offset, take: query.limit }),
    prisma.host.count({ where }),
  ]);
  return { rows, total };
}

/** The other hosts with this hostname (within a group scope), oldest first. */
export function hostsNamed(prisma: PrismaClient, hostname: string, exceptId: string, scope: string | null) {
  return prisma.host.findMany({
    where: { hostname, id: { not: exceptId }, ...(scope !== null && { groupName: scope }) },
    select: { id: true, hostname: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: 100,
  });
}

/** The hosts not online, longest silent first (never seen before all). */
export function offlineHosts(prisma: PrismaClient, limit: number) {
  return prisma.$queryRawUnsafe<{ id: string; hostname: string; last_seen_at: Date | null }[]>(
    `SELECT id, hostname, last_seen_at FROM hosts WHERE NOT (${ONLINE_SQL}) ORDER BY last_seen_at ASC NULLS FIRST LIMIT $1`,
    limit,
  );
}

/** One page of a host's fact changes, newest first in the agent's own order (its sequence numbers), not by the time it claims. */
export async function factChangesPage(prisma: PrismaClient, hostId: string, page: { offset: number; limit: number }) {
  const where = { hostId };
  const [rows, total] = await Promise.all([
    prisma.factChange.findMany({ where, orderBy: [{ seq: 'desc' }, { id: 'desc' }], skip: page.offset, take: page.limit }),
    prisma.factChange.count({ where }),
  ]);
  return { rows, total };
}

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

/** Which hosts a bulk change is for: these ids, or every host the hosts list's filters match. */
export type BulkTarget = { ids: string[] } | { filter: z.infer<typeof HostsFilter> };

/** A bulk change: a group (null: none), and a new tag set or tags to add and remove. */
export interface BulkChange {
  group?: string | null | undefined;
  tags?: string[] | undefined;
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
}

/** Bulk changes to the same hosts queue on the row locks, each holding a connection meanwhile: wait, not fail. */
const BULK_TX = { maxWait: 30_000, timeout: 60_000 };

export type BulkOutcome = { missing: string[] } | { matched: string[]; updated: string[] };

/**
 * One change to many hosts in one transaction, with one audit entry naming the count and the
 * selection. Within a group scope only that group's hosts are seen. With `ids`, every one must
 * exist or nothing changes (`missing` names the others). The rows are locked in id order, so
 * bulk changes to the same hosts queue rather than deadlock, and the tags are edited on the
 * locked rows: concurrent additions each land once. `updated`: the hosts whose group or tags
 * actually changed.
 */
export async function bulkAssignHosts(
  prisma: PrismaClient,
  target: BulkTarget,
  change: BulkChange,
  scope: string | null,
  actor: string,
): Promise<BulkOutcome> {
  const { group, tags, addTags = [], removeTags = [] } = change;
  return prisma.$transaction(async (tx) => {
    const where =
      'ids' in target ? { id: { in: target.ids }, ...(scope !== null && { groupName: scope }) } : hostFilter(target.filter, scope);
    const matched = (await tx.host.findMany({ where, select: { id: true }, orderBy: { id: 'asc' } })).map((h) => h.id);
    if ('ids' in target) {
      const found = new Set(matched);
      const missing = [...new Set(target.ids)].filter((id) => !found.has(id));
      if (missing.length) return { missing };
    }
    if (!matched.length) return { matched, updated: [] };
    await lockHostRows(tx, matched);
    // A new statement after the locks: it reads each row as the last committed change left it.
    const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
      `UPDATE hosts h SET group_name = n.group_name, tags = n.tags
       FROM (SELECT id,
                    CASE WHEN $2::boolean THEN $3::text ELSE group_name END AS group_name,
                    CASE WHEN $4::text[] IS NOT NULL THEN $4::text[]
                         ELSE ARRAY(SELECT t FROM (SELECT DISTINCT t FROM unnest(tags || $5::text[]) AS t
                                                  WHERE NOT t = ANY($6::text[])) d ORDER BY t COLLATE "C") END AS tags
             FROM hosts WHERE id = ANY($1::uuid[])) n
       WHERE h.id = n.id AND (h.group_name IS DISTINCT FROM n.group_name OR h.tags IS DISTINCT FROM n.tags)
       RETURNING h.id::text AS id`,
      matched,
      group !== undefined,
      group ?? null,
      tags ? [...new Set(tags)].sort() : null,
      addTags,
      removeTags,
    );
    const updated = rows.map((r) => r.id).sort();
    if (updated.length)
      await appendAuditInTx(tx, {
        actor,
        action: 'host.update',
        target: updated.length === 1 ? updated[0] : null,
        details: {
          hosts: updated.length,
          ...('ids' in target ? { ids: target.ids.length } : { filter: target.filter }),
          ...(group !== undefined && { group }),
          ...(tags && { tags }),
          ...(change.addTags && { addTags }),
          ...(change.removeTags && { removeTags }),
        },
      });
    return { matched, updated };
  }, BULK_TX);
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

/** A host as the identity check names it. */
export interface HostRef {
  id: string;
  hostname: string;
}

/** The unrevoked hosts other than `hostId` reporting `machineId`, optionally within one group, oldest first. */
export function hostsWithMachineId(prisma: PrismaClient, hostId: string, machineId: string, group: string | null): Promise<HostRef[]> {
  return prisma.host.findMany({
    where: { machineId, id: { not: hostId }, credential: { revokedAt: null }, ...(group !== null && { groupName: group }) },
    select: { id: true, hostname: true },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
  });
}

/**
 * Flags every unrevoked host reporting `machineId` that is not flagged yet, each with a drift
 * event of kind `identity` and an audit entry, in one transaction; returns those it flagged
 * and every unrevoked host with that id.
 */
export async function flagIdentityConflicts(
  prisma: PrismaClient,
  machineId: string,
  now: Date,
  drift: (flagged: HostRef, everyone: HostRef[]) => { row: DriftRow; details: Record<string, unknown> },
): Promise<{ flagged: HostRef[]; all: HostRef[] }> {
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRawUnsafe<HostRef[]>(
      `UPDATE hosts h SET identity_conflict_at = $2::timestamptz FROM agent_credentials c
        WHERE h.machine_id = $1 AND h.identity_conflict_at IS NULL AND c.id = h.credential_id AND c.revoked_at IS NULL
        RETURNING h.id::text AS id, h.hostname`,
      machineId,
      now,
    );
    const everyone = await tx.host.findMany({
      where: { machineId, credential: { revokedAt: null } },
      select: { id: true, hostname: true },
    });
    const batch = new WriteBatch();
    for (const row of rows) {
      const { row: event, details } = drift(row, everyone);
      insertDrift(batch, row.id, [event], now, now);
      await appendAuditInTx(tx, { actor: 'system', action: 'host.identity_conflict', target: row.id, details });
    }
    await batch.flush(tx);
    return { flagged: rows, all: everyone };
  });
}

/**
 * Clears a host's identity-conflict flag, audited; `refuse` names the error thrown while
 * other unrevoked hosts still report its machine id. Null when there is no such host.
 */
export async function clearIdentityFlag(
  prisma: PrismaClient,
  hostId: string,
  actor: string,
  refuse: (others: Array<{ hostname: string }>, machineId: string | null) => Error,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const [host] = await tx.$queryRawUnsafe<Array<{ hostname: string; machine_id: string | null; identity_conflict_at: Date | null }>>(
      'SELECT hostname, machine_id, identity_conflict_at FROM hosts WHERE id = $1::uuid FOR UPDATE',
      hostId,
    );
    if (!host) return false;
    if (!host.identity_conflict_at) return true;
    const others = host.machine_id
      ? await tx.host.findMany({
          where: { machineId: host.machine_id, id: { not: hostId }, credential: { revokedAt: null } },
          select: { hostname: true },
        })
      : [];
    if (others.length) throw refuse(others, host.machine_id);
    await tx.host.update({ where: { id: hostId }, data: { identityConflictAt: null } });
    await appendAuditInTx(tx, {
      actor,
      action: 'host.identity_resolved',
      target: hostId,
      details: { hostname: host.hostname, machineId: host.machine_id },
    });
    return true;
  });
}
