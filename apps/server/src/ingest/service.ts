import type { SequencedAgentMessage } from '@plumbline/protocol/messages';
import { digestOfDigests, factDigests, valueDigest } from '@plumbline/protocol/digest';
import type { Facts, FactErrors } from '@plumbline/protocol/facts';
import type { LiveEvent } from '@plumbline/protocol/live';
import type { FastifyBaseLogger } from 'fastify';
import type { DbClient } from '../db/open';
import { newSecret, SecretKind } from '../crypto';
import { AppError, ErrorCode } from '../errors';
import type { LiveBus } from '../live/bus';
import type { AgentAuth } from '../enrollment/agent-auth';
import { changedFacts, diffFacts, type FactDiff } from '../drift/fact-diff';
import type { EvaluationOutcome, Evaluator } from './evaluator';
import type { KnownVerdicts } from './last-evaluation';
import {
  insertFactChanges,
  lockHosts,
  readFactValues,
  writeHostFacts,
  type FactReads,
  type HostColumns,
  type LockedHost,
  type StoredFacts,
} from '../hosts/repository';
import { WriteBatch, type Tx } from '../db/write-batch';
import { measureSkew, NO_SKEW, serverTimeOf, type AgentClock } from '../hosts/clock';
import { markBaselineDrift } from '../baselines/drift';
import { factDriftEvents } from '../drift/events';
import { checkMachineId } from './identity';
import { GroupCommit, type GroupCommitOptions } from './group-commit';
import {
  enrollHost,
  helloHost,
  hostGroups,
  hostHead,
  ingestTransaction,
  markHostsOffline,
  storeDigestSeq,
  storeDigests,
  type EndedConnection,
} from './repository';

export interface HelloInput {
  agentVersion: string;
  hostname: string;
  machineId: string | null;
  intervalSeconds: number;
  /** The agent's clock when it sent the hello: the skew is measured against it. */
  sentAt?: string;
}

export interface HelloResult {
  hostId: string;
  hostname: string;
  credential?: string;
  lastSeq: number;
  digest: string | null;
  created: boolean;
  /** The agent's clock against the server's; the gateway passes it back with each message. */
  clock: AgentClock;
}

export type HandleResult = { type: 'ack'; seq: number } | { type: 'resync'; reason: string };

type StoreOutcome =
  | { kind: 'replay'; seq: number }
  | { kind: 'resync'; reason: string }
  | { kind: 'stored'; evaluation: EvaluationOutcome; diffs: FactDiff[]; first: boolean; hostname: string; machineId: string | null }
  | { kind: 'policy'; groupName: string | null };

type StoredMessage = Exclude<SequencedAgentMessage, { type: 'digest' }>;

/** A snapshot or delta waiting for its batch (see GroupCommit), settled once its batch commits. */
interface Queued {
  key: string;
  msg: StoredMessage;
  reads: PlannedReads;
  observedAt: Date;
  now: Date;
  clock: AgentClock;
  /** Tries after the host's group policy changed under it. */
  tries: number;
  resolve: (result: HandleResult) => void;
  reject: (err: unknown) => void;
}

/** A digest waiting for its batch: most of a batch is stored by one statement (see storeDigests). */
interface QueuedDigest {
  key: string;
  seq: number;
  digest: string;
  now: Date;
  resolve: (result: HandleResult) => void;
  reject: (err: unknown) => void;
}

/**
 * A host to judge again from its stored facts (see reevaluate), settled once its batch
 * commits. Requests for a host already waiting join its item: they are answered by the
 * same judgement, which is made after all of them were asked for.
 */
interface QueuedEvaluation {
  key: string;
  now: Date;
  /** Tries after the host's group policy changed under it. */
  tries: number;
  waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }>;
}

type EvaluationResult =
  { kind: 'judged'; evaluation: EvaluationOutcome; host: LockedHost } | { kind: 'none' } | { kind: 'policy'; groupName: string | null };

/** After a stored message commits: what its agent is answered, the live events it causes, and the identity check it needs. */
interface Committed {
  item: Queued;
  result: HandleResult;
  events: LiveEvent[];
  checkIdentity: string | null;
}

/**
 * Takes what agents send and makes it the system of record: hosts are created at the
 * first valid hello, facts are stored (one row per fact) with their path-level changes, and replays
 * (a sequence number already stored) change nothing.
 *
 * Snapshots and deltas are stored by group commit: those of many hosts that arrive together
 * are checked, judged and written in one transaction, each table's rows in one statement
 * (see GroupCommit, WriteBatch). Each agent is answered once its batch has committed; a
 * message that fails (its host is gone) fails alone, and when the batch's transaction itself
 * fails, each of its messages is tried again on its own.
 */
export class IngestService {
  /** Seconds per ingest transaction (a batch of hosts' messages); the metrics plugin plugs its histogram in here. */
  observeTransaction: (seconds: number) => void = () => undefined;
  /** Told after each stored snapshot or delta which top-level facts changed (all of them on the first). */
  afterStore: (hostId: string, changedFacts: ReadonlySet<string> | 'all') => void = () => undefined;

  /** Sizes of the committed batches; the metrics plugin may plug a histogram in here. */
  observeBatch: (messages: number) => void = () => undefined;
  private readonly batches: GroupCommit<Queued>;
  /** Digests, most of the traffic (one per agent per interval when nothing changed): many hosts' in one statement. */
  private readonly digests: GroupCommit<QueuedDigest>;
  /** Hosts judged again after a policy change, many to a transaction, beside the agents' messages. */
  private readonly reevaluations: GroupCommit<QueuedEvaluation>;
  /** Hosts waiting to be judged again, not yet taken into a batch: a new request for one joins it. */
  private readonly waitingEvaluation = new Map<string, QueuedEvaluation>();

  constructor(
    private readonly prisma: DbClient,
    private readonly bus: LiveBus,
    private readonly log: FastifyBaseLogger,
    private readonly evaluator: Evaluator,
    batching: GroupCommitOptions = { maxBatch: 32, maxInFlight: 1 },
  ) {
    this.batches = new GroupCommit((items) => this.commit(items), batching);
    this.digests = new GroupCommit((items) => this.commitDigests(items), { maxBatch: 512, maxInFlight: 1 });
    this.reevaluations = new GroupCommit((items) => this.commitEvaluations(items), batching);
  }

  /**
   * A batch of digests: those that match their host's stored facts and move its sequence on are
   * stored by one statement; each of the rest is checked alone (a replay is acknowledged again,
   * a digest that differs asks for a resync, a host gone is an error), as it would have been.
   */
  private async commitDigests(items: QueuedDigest[]): Promise<void> {
    let stored: Set<string>;
    try {
      stored = await storeDigests(
        this.prisma,
        items.map((d) => ({ hostId: d.key, seq: d.seq, digest: d.digest, now: d.now })),
      );
    } catch (err) {
      for (const d of items) d.reject(err);
      return;
    }
    await Promise.all(
      items.map((d) => (stored.has(d.key) ? d.resolve({ type: 'ack', seq: d.seq }) : this.digestAlone(d).then(d.resolve, d.reject))),
    );
  }

  /** A digest checked against its host's stored sequence and digest, on its own. */
  private async digestAlone(d: QueuedDigest): Promise<HandleResult> {
    const head = await hostHead(this.prisma, d.key);
    if (!head) throw new AppError(ErrorCode.notFound, 'host no longer exists');
    // A replay after reconnect: already stored, acknowledge again and change nothing.
    if (d.seq <= head.lastSeq) return { type: 'ack', seq: head.lastSeq };
    if (d.digest !== head.factsDigest) return { type: 'resync', reason: 'digest differs from the stored facts' };
    await storeDigestSeq(this.prisma, d.key, d.seq, d.now);
    return { type: 'ack', seq: d.seq };
  }

  /**
   * An agent's hello on a connection (`connection`: the gateway's id for the socket, stored on
   * the host so that only that connection's end marks it offline; null where no socket ends).
   */
  async hello(auth: AgentAuth, input: HelloInput, connection: string | null = null, now = new Date()): Promise<HelloResult> {
    const clock = input.sentAt ? measureSkew(new Date(input.sentAt), now) : NO_SKEW;
    const columns = { ...helloColumns(input, now, clock), connectionId: connection };
    if (auth.kind === 'enrollment') return this.enroll(auth, columns, now, clock);
    const host = await helloHost(this.prisma, auth.hostId, columns);
    this.warnSkew(host.id, clock);
    this.publish({ type: 'host.online', hostId: host.id, online: true, at: now.toISOString() });
    await this.checkIdentity(host.id, input.machineId, now);
    return { hostId: host.id, hostname: host.hostname, lastSeq: Number(host.lastSeq), digest: host.factsDigest, created: false, clock };
  }

  private async enroll(
    auth: Extract<AgentAuth, { kind: 'enrollment' }>,
    columns: ReturnType<typeof helloColumns> & { connectionId: string | null },
    now: Date,
    clock: AgentClock,
  ): Promise<HelloResult> {
    const { secret, prefix, hash } = newSecret(SecretKind.agent);
    const host = await enrollHost(this.prisma, { id: auth.tokenId, groupName: auth.groupName }, { prefix, secretHash: hash }, columns, now);
    this.log.info({ hostId: host.id, hostname: host.hostname }, 'agent enrolled');
    this.warnSkew(host.id, clock);
    this.publishHost(host.id, host.hostname, true, now, []);
    await this.checkIdentity(host.id, columns.machineId, now);
    return { hostId: host.id, hostname: host.hostname, credential: secret, lastSeq: 0, digest: null, created: true, clock };
  }

  /**
   * Marks hosts offline after their agents' connections ended, a thousand per statement: at
   * shutdown the gateway hands over every host it holds at once, since one update and one
   * notification per closing socket, ten thousand of them queued on the pool together, were
   * the server's peak memory. A host whose agent has said hello on a newer connection since
   * (on another replica) stays online, and no event says otherwise.
   */
  async disconnected(ended: EndedConnection[]): Promise<void> {
    const at = new Date().toISOString();
    for (let i = 0; i < ended.length; i += 1000) {
      const part = ended.slice(i, i + 1000);
      let offline: string[];
      try {
        offline = await markHostsOffline(this.prisma, part);
      } catch (err) {
        // The row may be gone (host deleted) or the database away; the next hello sets it again.
        this.log.warn({ err, hosts: part.length }, 'could not mark hosts offline');
        continue;
      }
      this.bus.publishMany(offline.map((hostId) => ({ type: 'host.online', hostId, online: false, at })));
    }
  }

  /**
   * Stores one message of an agent and says what to answer. A snapshot or delta waits for its
   * batch (see the class comment) and resolves once that batch has committed.
   */
  async handle(hostId: string, msg: SequencedAgentMessage, now = new Date(), clock: AgentClock = NO_SKEW): Promise<HandleResult> {
    if (msg.type === 'digest') {
      const { seq, payload } = msg;
      return new Promise((resolve, reject) => this.digests.submit({ key: hostId, seq, digest: payload.digest, now, resolve, reject }));
    }
    const observedAt = serverTimeOf(new Date(msg.payload.observedAt), clock, now);
    // A message's digests are taken once, before the row lock: they tell the locked read which stored values it can skip.
    const reads = this.plannedReads(hostId, msg);
    return new Promise<HandleResult>((resolve, reject) =>
      this.batches.submit({ key: hostId, msg, reads, observedAt, now, clock, tries: 0, resolve, reject }),
    );
  }

  /**
   * Commits one batch and settles each of its messages. The policy comes from the cache inside
   * the transaction; a message whose host's group changed since it was built writes nothing,
   * the policy is loaded after the commit, and the message goes back to the head of the queue.
   */
  private async commit(items: Queued[]): Promise<void> {
    const started = performance.now();
    let outcomes: Map<Queued, StoreOutcome | Error>;
    try {
      outcomes = await ingestTransaction(this.prisma, (tx) => this.storeBatch(tx, items));
    } catch (err) {
      if (items.length === 1) return items[0]!.reject(err);
      // Which message failed the transaction is not known: each is tried alone, and only it fails again.
      this.log.warn({ err, messages: items.length }, 'ingest batch failed; its messages are stored one by one');
      for (const item of items) await this.commit([item]);
      return;
    }
    const seconds = (performance.now() - started) / 1000;
    const committed: Committed[] = [];
    const again: Queued[] = [];
    for (const item of items) {
      const outcome = outcomes.get(item)!;
      if (outcome instanceof Error) item.reject(outcome);
      else if (outcome.kind === 'policy') {
        if (++item.tries >= 3) item.reject(new AppError(ErrorCode.internal, 'the host group policy kept changing during ingest'));
        else
          await this.evaluator.selectionFor({ id: item.key, groupName: outcome.groupName, tags: [] }).then(
            () => again.push(item),
            (err: unknown) => item.reject(err),
          );
      } else committed.push(this.afterCommit(item, outcome));
    }
    // A transaction that only found its messages' policy out of date is not counted: they are tried again.
    if (again.length < items.length) {
      this.observeTransaction(seconds);
      this.observeBatch(items.length - again.length);
    }
    if (again.length) this.batches.retry(again);
    // The machine id often comes first with the host fact (the agent's first hello has none yet).
    await Promise.all(committed.flatMap((c) => (c.checkIdentity ? [this.checkIdentity(c.item.key, c.checkIdentity, c.item.now)] : [])));
    const events = committed.flatMap((c) => c.events);
    if (events.length) this.bus.publishMany(events);
    for (const c of committed) c.item.resolve(c.result);
  }

  /**
   * One batch, inside its transaction: every host's row locked and read in one query, then
   * each message checked and judged in arrival order, its writes kept apart until it is
   * judged without error, then all of them sent as one statement.
   */
  private async storeBatch(tx: Tx, items: Queued[]): Promise<Map<Queued, StoreOutcome | Error>> {
    // Known verdicts are looked up now, not when the message came: the host's previous message may have committed since.
    const reads = new Map<string, FactReads>(
      items.map((i) => [
        i.key,
        {
          incoming: i.reads.incoming,
          only: i.reads.only,
          known: this.knownVerdicts(i),
        },
      ]),
    );
    const hosts = await lockHosts(tx, reads, new Date(Math.max(...items.map((i) => i.now.getTime()))));
    const writes = new WriteBatch();
    const outcomes = new Map<Queued, StoreOutcome | Error>();
    for (const item of items) {
      const own = new WriteBatch();
      try {
        const host = hosts.get(item.key);
        if (!host) throw new AppError(ErrorCode.notFound, 'host no longer exists');
        const outcome = await this.store(tx, item, host, own);
        if (outcome.kind === 'stored') writes.merge(own);
        outcomes.set(item, outcome);
      } catch (err) {
        // An error of the database may have ended the transaction for every message after it:
        // the batch fails, and each message is tried alone (see commit).
        if (!(err instanceof AppError) && items.length > 1) throw err;
        outcomes.set(item, err instanceof Error ? err : new Error(String(err)));
      }
    }
    await writes.flush(tx);
    return outcomes;
  }

  /**
   * The verdicts of a host this process knows, and those the message needs: a delta names
   * the facts it changes; of a snapshot, those whose digest is not the one left here are guessed.
   */
  private knownVerdicts(item: Queued): KnownVerdicts | null {
    const { key, reads, msg } = item;
    const changing =
      reads.changing ??
      (reads.snapshot &&
        msg.type === 'snapshot' &&
        this.evaluator.snapshotChanges(key, reads.snapshot.facts, Object.keys(msg.payload.errors)));
    return changing ? this.evaluator.knownVerdicts(key, changing) : null;
  }

  /** What a committed message answers and announces. */
  private afterCommit(item: Queued, outcome: StoreOutcome): Committed {
    const { key: hostId, msg, now, observedAt } = item;
    if (outcome.kind === 'replay') return { item, result: { type: 'ack', seq: outcome.seq }, events: [], checkIdentity: null };
    if (outcome.kind !== 'stored') {
      const reason = outcome.kind === 'resync' ? outcome.reason : 'policy';
      return { item, result: { type: 'resync', reason }, events: [], checkIdentity: null };
    }
    const { diffs, hostname, evaluation } = outcome;
    evaluation.remember();
    if (outcome.first || diffs.length) this.afterStore(hostId, outcome.first ? 'all' : new Set(diffs.map((d) => d.fact)));
    const events: LiveEvent[] = [];
    if (diffs.length || outcome.first || evaluation.changed) {
      events.push({
        type: 'host.updated',
        hostId,
        hostname,
        created: false,
        lastSeenAt: now.toISOString(),
        changed: [...new Set(diffs.map((c) => c.path))].slice(0, 100),
        score: evaluation.score,
        at: now.toISOString(),
      });
    }
    for (const d of evaluation.drift.slice(0, 50)) {
      events.push({
        type: 'drift',
        hostId,
        hostname,
        kind: d.kind,
        severity: d.severity,
        ruleId: d.ruleId,
        path: d.path,
        direction: d.direction,
        at: observedAt.toISOString(),
      });
    }
    const identity =
      outcome.machineId && (outcome.first || diffs.some((d) => d.path.startsWith('host.machine_id'))) ? outcome.machineId : null;
    return { item, result: { type: 'ack', seq: msg.seq }, events, checkIdentity: identity };
  }

  /**
   * What the locked read needs of the stored facts. A snapshot brings every value: the stored
   * ones with the same digest are skipped. A version 2 delta is checked from the stored digests,
   * so of the values only those of the facts it changes or drops and those the rules judged
   * again will likely read are fetched (any other a rule reads comes during evaluation). A
   * version 1 delta's digest covers every value: all are read.
   */
  private plannedReads(hostId: string, msg: Exclude<SequencedAgentMessage, { type: 'digest' }>): PlannedReads {
    if (msg.type === 'snapshot') {
      const snapshot = factDigests(msg.payload.facts, msg.payload.errors, msg.version);
      return { snapshot, incoming: snapshot.facts, only: null, changing: null };
    }
    if (msg.version === 1) return { snapshot: null, incoming: null, only: null, changing: null };
    const set = new Map<string, string>();
    for (const [name, value] of Object.entries(msg.payload.set)) if (value !== undefined) set.set(name, valueDigest(value));
    const changing = new Set([...set.keys(), ...msg.payload.unset, ...Object.keys(msg.payload.errors)]);
    return { snapshot: null, incoming: set, only: this.evaluator.likelyReads(hostId, changing), changing };
  }

  /**
   * One snapshot or delta of a batch, its host row locked and read: checked against the stored
   * head, evaluated, its writes added to `batch`. A later message of the same host is in a
   * later batch (see GroupCommit), so `host` is the state this message follows.
   */
  private async store(tx: Tx, item: Queued, host: LockedHost, batch: WriteBatch): Promise<StoreOutcome> {
    const { key: hostId, msg, reads, observedAt, now, clock } = item;
    // A replay after reconnect: already stored, acknowledge again and change nothing.
    if (msg.seq <= host.lastSeq) return { kind: 'replay', seq: host.lastSeq };
    const selection = this.evaluator.cachedSelection(host.groupName, host.groupVersion);
    if (!selection) return { kind: 'policy', groupName: host.groupName };
    const stored = host.facts;
    let facts: Record<string, unknown>;
    let errors: FactErrors;
    let sums: { digest: string; facts: Map<string, string> };
    // Set when the facts hold only some of the host's values: adds the named ones.
    let load: ((names: ReadonlySet<string> | 'all') => Promise<boolean>) | undefined;
    if (msg.type === 'snapshot') {
      facts = msg.payload.facts;
      errors = msg.payload.errors;
      sums = reads.snapshot ?? factDigests(facts, errors, msg.version);
    } else {
      if (!stored || msg.payload.baseDigest !== host.factsDigest) return { kind: 'resync', reason: 'delta base is not the stored facts' };
      facts = { ...stored.values, ...msg.payload.set };
      for (const name of msg.payload.unset) delete facts[name];
      errors = msg.payload.errors;
      if (msg.version === 1) {
        sums = factDigests(facts, errors, 1);
      } else {
        sums = deltaDigests(stored, reads.incoming ?? new Map(), msg.payload.unset, errors);
        if (reads.only) load = valueLoader(tx, hostId, facts, sums.facts);
      }
    }
    const digest = sums.digest;
    if (digest !== msg.payload.digest) return { kind: 'resync', reason: 'facts do not match their digest' };
    // The first snapshot is the host's starting point, not a change.
    const changed = stored ? changedFacts(stored, { facts, digests: sums.facts, errors }) : new Set<string>();
    // The stored values of every changed fact were read (their digests differ).
    const diffs = stored ? diffFacts(stored.values, facts, changed) : [];
    // Drift takes each changed setting as one unit, and leaves out changes of position alone.
    const factDrift = stored && diffs.length ? factDriftEvents(stored.values, facts, new Set(diffs.map((d) => d.fact))) : [];
    const hostFact = (facts as Facts).host;
    const target = { id: hostId, groupName: host.groupName, tags: host.tags };
    writeHostFacts(batch, hostId, { errors, digest, observedAt, receivedAt: now }, facts, sums.facts, stored);
    insertFactChanges(batch, hostId, msg.seq, diffs, observedAt, now);
    const hostUpdate: HostColumns = {
      lastSeq: msg.seq,
      factsDigest: digest,
      lastSeenAt: now,
      connected: true,
      ...(clock.flagged && { clockSkewSeconds: clock.skewSeconds }),
      ...(hostFact && {
        hostname: hostFact.hostname,
        machineId: hostFact.machine_id,
        os: hostFact.os.pretty_name ?? hostFact.os.name,
        osId: hostFact.os.id,
        osVersion: hostFact.os.version_id,
        kernel: hostFact.kernel.release,
        arch: hostFact.arch,
      }),
    };
    const loaded = { verdicts: host.verdicts, partial: host.verdictsPartial, rev: host.verdictsRev, waivers: host.waivers };
    const digests = { before: host.factsDigest, after: digest, changed, facts: sums.facts };
    const evaluation = await this.evaluator.evaluateAndStore(
      tx,
      target,
      selection,
      { facts: facts as Facts, errors },
      factDrift,
      observedAt,
      now,
      {
        batch,
        hostUpdate,
        loaded,
        digests,
        load,
        markBaseline: (drift) => markBaselineDrift(tx, target, drift, host.hasBaseline),
      },
    );
    return {
      kind: 'stored',
      evaluation,
      diffs,
      first: !stored,
      hostname: hostFact?.hostname ?? host.hostname,
      machineId: hostFact?.machine_id ?? null,
    };
  }

  /**
   * Judges a host again from its stored facts, after its group's policy, group or tags
   * changed; resolves once the verdicts are stored (at once for a host gone or without facts).
   * Requests made together, a group's hosts after a policy change, are judged many to a
   * transaction (see commitEvaluations); call this for each of them without waiting. With
   * `first`, someone waits for the answer (an API request): the host goes ahead of those a
   * policy change queued, and answers within a batch or two, however large the group.
   */
  reevaluate(hostId: string, { now = new Date(), first = false }: { now?: Date; first?: boolean } = {}): Promise<void> {
    return new Promise((resolve, reject) => {
      const waiting = this.waitingEvaluation.get(hostId);
      if (waiting) {
        waiting.waiters.push({ resolve, reject });
        if (now > waiting.now) waiting.now = now;
        if (first) this.reevaluations.promote(waiting);
        return;
      }
      const item: QueuedEvaluation = { key: hostId, now, tries: 0, waiters: [{ resolve, reject }] };
      this.waitingEvaluation.set(hostId, item);
      this.reevaluations.submit(item, first);
    });
  }

  /**
   * One batch of re-evaluations: the hosts' rows are locked and their facts, verdicts and
   * waivers read in one query (lockHosts, as for an ingest batch), so each host is judged from
   * the facts stored when it is judged: an ingest that committed since the request is seen,
   * one still running waits for the commit. The policies are built before the transaction opens.
   */
  private async commitEvaluations(items: QueuedEvaluation[]): Promise<void> {
    // From now on a new request for these hosts is a new item: this judgement may read a policy older than it.
    for (const item of items) if (this.waitingEvaluation.get(item.key) === item) this.waitingEvaluation.delete(item.key);
    const settle = (item: QueuedEvaluation, err?: unknown) => {
      for (const w of item.waiters)
        if (err === undefined) w.resolve();
        else w.reject(err);
    };
    let outcomes: Map<QueuedEvaluation, EvaluationResult | Error>;
    try {
      await Promise.all(
        (
          await hostGroups(
            this.prisma,
            items.map((i) => i.key),
          )
        ).map((groupName) => this.evaluator.selectionFor({ id: '', groupName, tags: [] })),
      );
      outcomes = await ingestTransaction(this.prisma, (tx) => this.evaluateBatch(tx, items));
    } catch (err) {
      if (items.length === 1) return settle(items[0]!, err);
      this.log.warn({ err, hosts: items.length }, 're-evaluation batch failed; its hosts are judged one by one');
      for (const item of items) await this.commitEvaluations([item]);
      return;
    }
    const again: QueuedEvaluation[] = [];
    const events: LiveEvent[] = [];
    for (const item of items) {
      const outcome = outcomes.get(item)!;
      if (outcome instanceof Error) settle(item, outcome);
      else if (outcome.kind === 'policy') {
        if (++item.tries >= 3) settle(item, new AppError(ErrorCode.internal, 'the host group policy kept changing during re-evaluation'));
        else again.push(item);
      } else if (outcome.kind === 'judged') {
        const { evaluation, host } = outcome;
        evaluation.remember();
        if (evaluation.changed)
          events.push({
            type: 'host.updated',
            hostId: item.key,
            hostname: host.hostname,
            created: false,
            lastSeenAt: host.lastSeenAt?.toISOString() ?? null,
            changed: [],
            score: evaluation.score,
            at: item.now.toISOString(),
          });
        settle(item);
      } else settle(item);
    }
    if (events.length) this.bus.publishMany(events);
    if (again.length) this.reevaluations.retry(again);
  }

  /** A batch of re-evaluations inside its transaction; each host's writes are kept apart until it is judged without error. */
  private async evaluateBatch(tx: Tx, items: QueuedEvaluation[]): Promise<Map<QueuedEvaluation, EvaluationResult | Error>> {
    const every: FactReads = { incoming: null, only: null };
    const hosts = await lockHosts(tx, new Map(items.map((i) => [i.key, every])), new Date(Math.max(...items.map((i) => i.now.getTime()))));
    const writes = new WriteBatch();
    const outcomes = new Map<QueuedEvaluation, EvaluationResult | Error>();
    for (const item of items) {
      const host = hosts.get(item.key);
      // A host gone, or without facts yet, has nothing to judge.
      if (!host?.facts) {
        outcomes.set(item, { kind: 'none' });
        continue;
      }
      const selection = this.evaluator.cachedSelection(host.groupName, host.groupVersion);
      if (!selection) {
        outcomes.set(item, { kind: 'policy', groupName: host.groupName });
        continue;
      }
      // A host is judged in full (every rule): ingest's messages get their turns of the event loop in between.
      await new Promise((resolve) => setImmediate(resolve));
      const own = new WriteBatch();
      try {
        const target = { id: item.key, groupName: host.groupName, tags: host.tags };
        const facts = { facts: host.facts.values as Facts, errors: host.facts.errors as FactErrors };
        const loaded = { verdicts: host.verdicts, partial: host.verdictsPartial, rev: host.verdictsRev, waivers: host.waivers };
        const evaluation = await this.evaluator.evaluateAndStore(tx, target, selection, facts, [], item.now, item.now, {
          batch: own,
          loaded,
        });
        writes.merge(own);
        outcomes.set(item, { kind: 'judged', evaluation, host });
      } catch (err) {
        if (!(err instanceof AppError) && items.length > 1) throw err;
        outcomes.set(item, err instanceof Error ? err : new Error(String(err)));
      }
    }
    await writes.flush(tx);
    return outcomes;
  }

  /** A failed check must not fail the agent's message: the next hello or snapshot checks again. */
  private async checkIdentity(hostId: string, machineId: string | null, now: Date): Promise<void> {
    try {
      await checkMachineId(this.prisma, this.bus, this.log, hostId, machineId, now);
    } catch (err) {
      this.log.error({ err, hostId }, 'machine id check failed');
    }
  }

  /** Said once per connection (and again if the clock jumps): an operator fixes NTP, the server copes meanwhile. */
  warnSkew(hostId: string, clock: AgentClock): void {
    if (clock.flagged)
      this.log.warn({ hostId, skewSeconds: clock.skewSeconds }, 'agent clock is off; its timestamps are corrected to the server clock');
  }

  private publishHost(hostId: string, hostname: string, created: boolean, at: Date, changed: string[]): void {
    this.publish({
      type: 'host.updated',
      hostId,
      hostname,
      created,
      lastSeenAt: at.toISOString(),
      changed,
      score: null,
      at: at.toISOString(),
    });
  }

  private publish(event: LiveEvent): void {
    this.bus.publish(event);
  }
}

interface PlannedReads {
  /** A snapshot's digests, taken once for all tries. */
  snapshot: { digest: string; facts: Map<string, string> } | null;
  /** The digest of each fact the message brings: stored values with the same digest are not read. */
  incoming: Map<string, string> | null;
  /** Of the other facts, those whose values the locked read fetches; null: every one. */
  only: ReadonlySet<string> | null;
  /** The facts a version 2 delta sets, drops or reports errors of (null for other messages): they say which verdicts it needs. */
  changing: ReadonlySet<string> | null;
}

/**
 * The digests of the facts a version 2 delta leaves: those it sets (`set`, their digests),
 * and the others with their stored digest (a fact stored before digests were kept is digested
 * from its value, which the locked read always returns). The set's digest is formed from these.
 */
function deltaDigests(
  stored: StoredFacts,
  set: ReadonlyMap<string, string>,
  unset: readonly string[],
  errors: FactErrors,
): { digest: string; facts: Map<string, string> } {
  const perFact = new Map<string, string>();
  const dropped = new Set(unset);
  for (const [name, digest] of stored.digests) {
    if (!dropped.has(name) && !set.has(name)) perFact.set(name, digest ?? valueDigest(stored.values[name]));
  }
  for (const [name, digest] of set) if (!dropped.has(name)) perFact.set(name, digest);
  return { digest: digestOfDigests(perFact, errors), facts: perFact };
}

/** Adds to `facts` the stored values of the named facts the host has and `facts` lacks; says whether it added any. */
function valueLoader(
  tx: Parameters<typeof readFactValues>[0],
  hostId: string,
  facts: Record<string, unknown>,
  present: ReadonlyMap<string, string>,
) {
  return async (names: ReadonlySet<string> | 'all'): Promise<boolean> => {
    const missing = [...(names === 'all' ? present.keys() : names)].filter((n) => present.has(n) && !Object.hasOwn(facts, n));
    if (!missing.length) return false;
    const values = await readFactValues(tx, hostId, missing);
    Object.assign(facts, values);
    return Object.keys(values).length > 0;
  };
}

/** What a hello tells of its host, stored alike when the agent enrolls and on every later hello. */
function helloColumns(input: HelloInput, now: Date, clock: AgentClock) {
  return {
    hostname: input.hostname,
    machineId: input.machineId,
    agentVersion: input.agentVersion,
    intervalSeconds: input.intervalSeconds,
    connected: true,
    lastSeenAt: now,
    clockSkewSeconds: clock.skewSeconds,
  };
}
