import { evaluateLoading, evaluateTracked, resultBase, type Result } from '@plumbline/benchmarks/engine';
import { hostFigures, type ScoreFigures } from '@plumbline/benchmarks/score';
import type { Rule, Waiver } from '@plumbline/benchmarks/schema';
import type { Selection } from '@plumbline/benchmarks/tailoring';
import type { FactSet } from '@plumbline/protocol/facts';
import type { DbClient } from '../db/open';
import type { LiveBus } from '../live/bus';
import type { PolicyService } from '../policy/policy';
import { compareResults } from '../drift/compare';
import type { FactDriftEvent } from '../drift/events';
import { LastEvaluations, type Entry, type KnownVerdicts, type Previous } from './last-evaluation';
import { WriteBatch, type Tx } from '../db/write-batch';
import { insertDrift, type DriftRow } from '../drift/repository';
import { hostsForRescore, lockVerdictsRev, nextVerdictsRev, updateHost, type HostColumns, type RescoredHost } from '../hosts/repository';
import {
  bumpRuleStats,
  deleteResults,
  insertResultChanges,
  storedVerdicts,
  upsertResults,
  type StoredVerdict,
} from '../results/repository';
import { activeWaivers, toEngineWaiver, waiverTarget, type WaiverRow, type WaiverTargetHost } from '../waivers/active';
import { ingestTransaction } from './repository';

/** Hosts rescored per transaction: each is a few hundred verdict statuses read and one row written. */
const RESCORE_BATCH = 200;

const standingResults = new WeakMap<Rule, Map<string, Result>>();
const selectedIds = new WeakMap<Selection, ReadonlySet<string>>();

const statusesOf = (results: readonly Result[]) => results.map((r) => r.status);

/**
 * Stores `entry` for the host when called. Made out here: a closure made inside the evaluation
 * would share its scope, and hold its results and stored verdicts until the commit.
 */
const keepLater = (last: LastEvaluations, hostId: string, entry: Entry) => () => last.keep(hostId, entry);

/** The ids of a policy selection's rules, made once per selection. */
function ruleIds(selection: Selection): ReadonlySet<string> {
  let ids = selectedIds.get(selection);
  if (!ids) selectedIds.set(selection, (ids = new Set(selection.rules.map((r) => r.id))));
  return ids;
}

/**
 * A stored verdict as scoring sees it: its status; scoring reads no evidence. Most rules of
 * an ingest keep their verdict, so these are made once per rule and status, and frozen: they
 * are shared by every host's evaluation.
 */
function standing(rule: Rule, status: string): Result {
  let byStatus = standingResults.get(rule);
  if (!byStatus) standingResults.set(rule, (byStatus = new Map()));
  let result = byStatus.get(status);
  if (!result) {
    result = Object.freeze({
      ...resultBase(rule),
      status: status as Result['status'],
      evidence: Object.freeze([]) as unknown as Result['evidence'],
    });
    byStatus.set(status, result);
  }
  return result;
}

export interface EvaluationOutcome {
  /** Any verdict changed. */
  changed: boolean;
  score: number | null;
  drift: DriftRow[];
  /** To call once the transaction has committed: the next ingest of the host builds on this evaluation (see LastEvaluations). */
  remember: () => void;
}

/**
 * Judges a host's facts with its effective policy and stores what changed, inside the
 * caller's transaction: verdicts, their history, drift events, per-rule counters, and the
 * host's score with and without waivers.
 */
export class Evaluator {
  /** Seconds spent judging per evaluation (with the reads of values a delta fetches on demand); the metrics plugin plugs its histogram in here. */
  observeEvaluation: (seconds: number) => void = () => undefined;
  private readonly last = new LastEvaluations();

  constructor(
    private readonly prisma: DbClient,
    private readonly policy: PolicyService,
    private readonly bus?: LiveBus,
  ) {}

  /**
   * The policy is looked up before the transaction opens: on the embedded database there is
   * one connection, and a query outside the transaction would wait for it forever.
   */
  selectionFor(host: WaiverTargetHost): Promise<Selection> {
    return this.policy.selectionFor(host.groupName);
  }

  /** The facts a snapshot with these digests and errors likely changes, if this process evaluated the host last (see LastEvaluations). */
  snapshotChanges(hostId: string, digests: ReadonlyMap<string, string>, errors: Iterable<string>): Set<string> | null {
    return this.last.changedSince(hostId, digests, errors);
  }

  /** The verdicts this process knows of a host, and those an ingest changing the `changing` facts needs (see LastEvaluations). */
  knownVerdicts(hostId: string, changing: ReadonlySet<string>): KnownVerdicts | null {
    return this.last.known(hostId, changing);
  }

  /** The facts the next evaluation of a host will likely read if `changed` facts differ (see LastEvaluations); null: all of them. */
  likelyReads(hostId: string, changed: ReadonlySet<string>): Set<string> | null {
    return this.last.likelyReads(hostId, changed);
  }

  /** The selection for a group at this version of it, if already built (no I/O: usable inside a transaction). */
  cachedSelection(groupName: string | null, groupVersion: string | null): Selection | undefined {
    return this.policy.cachedSelection(groupName, groupVersion);
  }

  /**
   * Every write goes out as one statement at the end (a WriteBatch); with `batch` the writes
   * go there and the caller sends them (an ingest batch sends every host's writes together,
   * with its facts and fact changes); `hostUpdate` holds the caller's host columns
   * (sequence number, inventory), which are written with the score; `loaded` the verdicts
   * (all, or with `partial` those lockHosts was told are needed), their revision and the
   * waivers the caller already read with the host row locked (else they are read here).
   * `digests` gives the facts digests before and after and the top-level facts that differ:
   * with `loaded`, only the rules that read one of those are judged again when this process
   * made the host's last evaluation (`LastEvaluations`) and nobody wrote its verdicts since;
   * otherwise every rule is. `load`, when the facts hold only some of the host's values, adds
   * those the rules read (`evaluateLoading`).
   */
  async evaluateAndStore(
    tx: Tx,
    host: WaiverTargetHost,
    selection: Selection,
    facts: FactSet,
    factDrift: FactDriftEvent[],
    observedAt: Date,
    receivedAt: Date,
    {
      batch: given,
      hostUpdate = {},
      loaded,
      digests,
      load,
      markBaseline,
    }: {
      batch?: WriteBatch;
      hostUpdate?: HostColumns;
      loaded?: { verdicts: Map<string, StoredVerdict>; partial: boolean; rev: number; waivers: WaiverRow[] };
      digests?: { before: string | null; after: string; changed: ReadonlySet<string>; facts: ReadonlyMap<string, string> };
      load?: (names: ReadonlySet<string> | 'all') => Promise<boolean>;
      /** Marks the drift that departs from (or returns to) the host's baseline, before it is stored. */
      markBaseline?: (drift: DriftRow[]) => Promise<void>;
    } = {},
  ): Promise<EvaluationOutcome> {
    const batch = given ?? new WriteBatch();
    const rules = selection.rules;
    const started = performance.now();
    const ctx = { now: observedAt, params: selection.params };
    // The revision, read with the row locked, moves on once with this evaluation's writes (a
    // writer that does not set it has each write counted by the database, see lockVerdictsRev).
    const rev = loaded ? loaded.rev : await lockVerdictsRev(tx, host.id);
    const nextRev = rev === null ? null : nextVerdictsRev(rev);
    const previous = digests && loaded && this.last.since(host.id, digests.before, selection, loaded.rev, digests.changed);
    // Until this transaction commits, what this process remembers of the host is not what is stored.
    this.last.forget(host.id);
    // A partial read holds only the verdicts of the rules the previous evaluation said would be judged again.
    let stored = loaded && !(loaded.partial && !previous) ? loaded.verdicts : await storedVerdicts(tx, host.id);
    const partial = Boolean(previous && loaded?.partial);
    const since = previous ? previous.since : undefined;
    const tracked = load ? await evaluateLoading(rules, facts, ctx, since, load) : evaluateTracked(rules, facts, ctx, since);
    this.observeEvaluation((performance.now() - started) / 1000);
    const evaluated: Result[] = [];
    const results = tracked.results.map((r, i) => {
      if (r) {
        evaluated.push(r);
        return r;
      }
      // A rule is kept only when `previous` held: its status is the one that evaluation left.
      return standing(rules[i] as Rule, (previous as Previous).status(i));
    });
    if (partial) {
      // A rule judged again beyond those planned (a fact changed that the message did not name).
      const missing = evaluated.filter((r) => !stored.has(r.ruleId)).map((r) => r.ruleId);
      if (missing.length) stored = new Map([...stored, ...(await storedVerdicts(tx, host.id, missing))]);
    }
    const cmp = compareResults(stored, evaluated, factDrift, observedAt, ruleIds(selection), !partial && stored.size === 0);
    upsertResults(batch, host.id, cmp.upserts, observedAt);
    deleteResults(batch, host.id, cmp.removed);
    insertResultChanges(batch, host.id, cmp.changes, observedAt, receivedAt);
    if (markBaseline && cmp.drift.length) await markBaseline(cmp.drift);
    insertDrift(batch, host.id, cmp.drift, observedAt, receivedAt);
    bumpRuleStats(batch, cmp.stats);
    const waivers = loaded ? loaded.waivers.map(toEngineWaiver) : await activeWaivers(tx, host, receivedAt);
    const columns = nextRev === null ? hostUpdate : { ...hostUpdate, verdictsRev: nextRev };
    const s = await this.scoreInto(tx, host, results, receivedAt, selection.profile, batch, columns, waivers);
    if (!given) await batch.flush(tx);
    // Kept compact now: the results are not held until the transaction commits.
    const left =
      digests && loaded && nextRev !== null
        ? this.last.prepare(digests.after, nextRev, selection, tracked, statusesOf(results), digests.facts)
        : null;
    const remember = left ? keepLater(this.last, host.id, left) : () => undefined;
    return { changed: cmp.changes.length > 0 || cmp.removed.length > 0, score: s.score, drift: cmp.drift, remember };
  }

  /**
   * Recomputes the stored score of hosts from their stored verdicts (after a waiver changed or
   * expired), RESCORE_BATCH hosts to a transaction, and tells live clients about each host
   * whose score moved.
   */
  async rescore(hostIds: readonly string[], now = new Date()): Promise<void> {
    for (let i = 0; i < hostIds.length; i += RESCORE_BATCH) {
      const moved = await ingestTransaction(this.prisma, async (tx) => {
        const hosts = await hostsForRescore(tx, hostIds.slice(i, i + RESCORE_BATCH), now);
        await this.policy.knowRules([...new Set(hosts.flatMap((h) => [...h.verdicts.keys()]))], tx);
        const batch = new WriteBatch();
        const moved: Array<{ host: RescoredHost; s: ScoreFigures }> = [];
        for (const host of hosts) {
          const results = [...host.verdicts].flatMap(([ruleId, v]) => {
            const rule = this.policy.rule(ruleId);
            return rule ? [standing(rule, v.status)] : [];
          });
          const s = await this.scoreInto(tx, host, results, now, host.profileId, batch, {}, host.waivers.map(toEngineWaiver));
          if (s.score !== host.score || s.withWaivers !== host.scoreWaived) moved.push({ host, s });
        }
        await batch.flush(tx);
        return moved;
      });
      const at = now.toISOString();
      if (moved.length)
        this.bus?.publishMany(
          moved.map(({ host, s }) => ({
            type: 'host.updated',
            hostId: host.id,
            hostname: host.hostname,
            created: false,
            lastSeenAt: host.lastSeenAt?.toISOString() ?? null,
            changed: [],
            score: s.score,
            scoreWaived: s.withWaivers,
            at,
          })),
        );
    }
  }

  private async scoreInto(
    tx: Tx,
    host: WaiverTargetHost,
    results: readonly Result[],
    now: Date,
    profileId: string | null,
    batch: WriteBatch,
    extra: HostColumns = {},
    waivers?: Waiver[],
  ): Promise<ScoreFigures> {
    const s = hostFigures(results, waivers ?? (await activeWaivers(tx, host, now)), waiverTarget(host), now);
    updateHost(batch, host.id, {
      score: s.score,
      scoreWaived: s.withWaivers,
      passCount: s.counts.pass,
      failCount: s.counts.fail,
      waivedCount: s.counts.waived,
      naCount: s.counts.notapplicable,
      errorCount: s.counts.error,
      passWeight: s.weight.pass,
      failWeight: s.weight.fail,
      waivedWeight: s.weight.waived,
      profileId,
      evaluatedAt: now,
      ...extra,
    });
    return s;
  }
}
