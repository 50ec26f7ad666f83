import { AGENT_CREDENTIAL, CloseCode, MAX_SEQ } from '@plumbline/protocol/limits';
import type { SequencedAgentMessage } from '@plumbline/protocol/messages';
import type { WelcomePayload as WelcomeSchema } from '@plumbline/protocol/server-messages';
import type { Logger } from 'pino';
import type * as z from '@plumbline/protocol/zod-mini';
import type { Collection } from './collection/collection';
import type { FactWork } from './collection/fact-work';
import { ResyncGate } from './resync-gate';
import { Spool } from './spool/spool';
import { StateStore, type AgentState } from './state/store';
import { Backoff } from './transport/backoff';
import { PROTOCOL_VERSION, RejectedError, type TlsOptions } from './transport/connection';
import { DEFAULT_DEADLINES, Link, WelcomeRefused, type Deadlines, type OtherServerMessage } from './transport/link';
import { ThrottledLog } from './transport/throttled-log';
import { AGENT_VERSION } from './version';
import { watchConfig } from './watch';
import { StatusFile } from './install/status-file';
import { releaseCycleGarbage } from './footprint';

export interface RunOptions {
  server: string;
  token: string | undefined;
  root: string;
  live: boolean;
  stateDir: string;
  intervalMs: number;
  log: Logger;
  /** Collections and the schema check of the spool (a helper process under `plumbline-agent run`). */
  work: FactWork;
  /** Collect early when key configuration files change (default on). */
  watch?: boolean;
  tls?: TlsOptions;
  /** Reconnect delays; the default backs off from 1 s to 5 min. */
  backoff?: Backoff;
  /** Deadlines of a connection (tests shorten them). */
  deadlines?: Partial<Deadlines>;
}

type WelcomePayload = z.infer<typeof WelcomeSchema>;
/** WebSocket's "try again later". */
const TRY_AGAIN_LATER = 1013;
/** The server's host ids are UUIDs; anything id-like is accepted, nothing that could go anywhere else. */
const HOST_ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/**
 * What is kept of the last collection until the next: its digests. Fact values are read
 * from a collection only while its messages are made, so the long-running process never
 * holds a whole fact set (about 0.3 MB of objects, and their garbage every cycle).
 */
interface Collected {
  /** The set's digest in this build's protocol version, and each fact's own digest. */
  digest: string;
  factDigests: ReadonlyMap<string, string>;
  observedAt: string;
}

/** What the hello says about the host, from the last collection. */
interface HostNames {
  hostname: string;
  machineId: string | null;
}

/**
 * The agent's life: collect every interval, and tell the server what changed. Each cycle
 * yields a snapshot (first time), a delta (something changed) or a digest (nothing did).
 * Snapshots and deltas go to the spool before they are sent and leave it only when
 * acknowledged, so a server outage or restart loses nothing: collection goes on offline
 * and the spool is replayed in order on reconnect.
 */
export class AgentRunner {
  private link: Link | null = null;
  private ready = false;
  private state!: AgentState;
  private spool!: Spool;
  private readonly store: StateStore;
  private readonly backoff: Backoff;
  private last: Collected | null = null;
  private hostNames: HostNames | null = null;
  /** The server wants every fact (a resync, or a digest that is not ours after a reconnect). */
  private snapshotWanted = false;
  private serverDigest: string | null = null;
  private readonly resync: ResyncGate;
  private readonly deadlines: Deadlines;
  private readonly serverErrors: ThrottledLog;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private cycleRunning: Promise<void> | null = null;
  /** A change was seen while a cycle ran: run another right after it. */
  private rerun = false;
  private intervalMs: number;
  private unwatch: (() => void) | null = null;
  private status!: StatusFile;
  private finish!: (err?: Error) => void;

  constructor(private readonly opts: RunOptions) {
    this.store = new StateStore(opts.stateDir, opts.log);
    this.intervalMs = opts.intervalMs;
    this.backoff = opts.backoff ?? new Backoff();
    this.deadlines = { ...DEFAULT_DEADLINES, ...opts.deadlines };
    // One snapshot per interval at most, and no longer apart than 30 s while the server keeps asking.
    this.resync = new ResyncGate(
      () => this.sendResync(),
      () => Math.min(30_000, Math.max(1000, this.intervalMs)),
      opts.log,
    );
    this.serverErrors = new ThrottledLog(opts.log);
  }

  /** Runs until stop() or until the server refuses the agent's secret (rejects with RejectedError). */
  async run(): Promise<void> {
    this.state = await this.store.load();
    if (!this.state.credential && !this.opts.token) {
      throw new RejectedError(0, `no credential in ${this.opts.stateDir} and no enrollment token given (--token-file)`);
    }
    if (/^(http|ws):$/.test(new URL(this.opts.server).protocol)) {
      this.log.warn(
        { server: this.opts.server },
        'the server URL is plain http: the credential and the facts travel unencrypted, and anyone on the path can impersonate the server; use https',
      );
    }
    this.spool = await Spool.open(`${this.opts.stateDir}/spool`, {
      quarantineDir: this.store.quarantineDir,
      log: this.log,
      check: (dir) => this.opts.work.checkSpool(dir),
    });
    // Numbers already spooled were used, even if the counter that said so was lost.
    this.state.seq = Math.max(this.state.seq, this.spool.lastSeq);
    this.status = new StatusFile(this.opts.stateDir);
    this.status.update({ server: this.opts.server, hostId: this.state.hostId, ...this.spoolFigures() });
    const done = new Promise<void>((resolve, reject) => {
      this.finish = (err) => (err ? reject(err) : resolve());
    });
    // Collect before connecting, so the hello already names the host.
    await this.cycle().catch((err: unknown) => this.log.error({ err }, 'collection cycle failed'));
    this.open();
    this.schedule(this.intervalMs);
    if (this.opts.watch !== false) this.unwatch = watchConfig(this.opts.root, () => this.collectNow(), this.log);
    return done;
  }

  /** What `plumbline-agent status` shows of the spool. */
  private spoolFigures() {
    return { spoolMessages: this.spool.size, spoolBytes: this.spool.sizeBytes, spoolDropped: this.spool.dropped };
  }

  stop(): void {
    this.status?.update({ connected: false });
    const flushed = this.status?.flush() ?? Promise.resolve();
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.resync?.cancel();
    this.unwatch?.();
    this.opts.work.cancel();
    this.link?.close(1000, 'agent stopping');
    // run() settles once the last status is on disk, so whoever awaits it may remove the state directory.
    void flushed.then(() => this.finish());
  }

  private get log() {
    return this.opts.log;
  }

  private open(): void {
    const secret = this.state.credential ?? this.opts.token!;
    const enrolling = !this.state.credential;
    // Events of a link that is no longer the current one (replaced, or closed twice over)
    // must not touch the state of the one that is.
    const current = () => this.link === link && !this.stopped;
    const link: Link = new Link(
      this.opts.server,
      secret,
      this.log,
      {
        hello: () => ({
          version: PROTOCOL_VERSION,
          type: 'hello',
          payload: {
            agentVersion: AGENT_VERSION,
            hostname: this.hostNames?.hostname ?? 'unknown',
            machineId: this.hostNames?.machineId ?? null,
            intervalSeconds: Math.max(1, Math.round(this.intervalMs / 1000)),
            spoolDropped: this.spool.dropped,
            sentAt: new Date().toISOString(),
          },
        }),
        welcome: async (p) => {
          if (current()) await this.onWelcome(p);
        },
        acked: async (seq) => {
          if (!current()) return;
          await this.spool.ack(seq);
          this.status.update({ lastAckAt: new Date().toISOString(), ...this.spoolFigures() });
        },
        message: async (msg) => {
          if (current()) await this.onMessage(msg);
        },
        healthy: () => {
          if (current()) this.backoff.reset();
        },
        closed: (code, reason) => {
          if (!current()) return;
          this.link = null;
          this.ready = false;
          this.resync.cancel();
          // The next welcome decides afresh whether the server needs everything.
          this.snapshotWanted = false;
          this.status.update({ connected: false, lastDisconnectedAt: new Date().toISOString() });
          if (code === CloseCode.rebalanced) {
            // Nothing failed: the server evens out its replicas' agents. The agent comes back
            // soon, through the load balancer, and keeps its backoff as it was.
            const delay = this.backoff.moveDelay();
            this.log.info({ reason, retryInMs: delay }, 'the server asked this agent to reconnect to another replica');
            this.reconnectTimer = setTimeout(() => this.open(), delay);
            return;
          }
          // A server that asks for patience (rate limited, try again later) gets it.
          const patient = code === CloseCode.rateLimited || code === TRY_AGAIN_LATER;
          const capMs = this.backoff.cap;
          const delay = patient ? this.backoff.nextPatient() : this.backoff.next();
          this.log.warn({ code, reason, retryInMs: delay, attempt: this.backoff.attempts, capMs }, 'disconnected from the server');
          // A server of an earlier release refuses this protocol version as malformed; it is
          // tried again, since servers are upgraded before their agents.
          if (code === CloseCode.malformed && /^malformed message: version\b/.test(reason)) {
            this.log.error(
              { protocolVersion: PROTOCOL_VERSION },
              `the server does not speak protocol version ${PROTOCOL_VERSION}: upgrade the server before its agents`,
            );
          }
          this.reconnectTimer = setTimeout(() => this.open(), delay);
        },
        rejected: (err) => {
          if (!current()) return;
          this.stopped = true;
          if (this.timer) clearTimeout(this.timer);
          if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
          this.resync.cancel();
          this.unwatch?.();
          const what = enrolling ? 'enrollment token' : `credential in ${this.opts.stateDir}`;
          this.finish(new RejectedError(err.status, `the server rejected the ${what}: ${err.message}`));
        },
      },
      this.opts.tls,
      this.deadlines,
    );
    this.link = link;
  }

  /**
   * Everything in a welcome is checked before any of it is used or stored: a credential that
   * could not go into a header would stop every later connection, and a sequence number near
   * 2^53 would overflow the counter.
   */
  private async onWelcome(p: WelcomePayload): Promise<void> {
    if (!HOST_ID.test(p.hostId)) throw new WelcomeRefused('the host id is not an id');
    if (p.credential !== undefined && !AGENT_CREDENTIAL.test(p.credential)) {
      throw new WelcomeRefused('the credential is not in the alphabet and length the server issues (it could not go into a header)');
    }
    if (p.lastSeq > MAX_SEQ) throw new WelcomeRefused(`lastSeq ${p.lastSeq} is beyond the largest sequence number (${MAX_SEQ})`);
    if (p.credential) {
      await this.store.saveCredential(p.credential);
      this.state.credential = p.credential;
      this.log.info({ hostId: p.hostId }, 'enrolled');
    }
    if (p.lastSeq > this.state.seq) {
      // The server stored numbers this agent does not remember using (its state was lost):
      // carry on above them, or the server would take new messages for replays.
      this.log.warn(
        { lastSeq: p.lastSeq, seq: this.state.seq },
        'the server has stored sequence numbers above this agent counter: continuing above them',
      );
    }
    this.state.hostId = p.hostId;
    this.state.seq = Math.max(this.state.seq, p.lastSeq);
    await this.store.save(this.state);
    this.serverDigest = p.digest;
    await this.spool.ack(p.lastSeq);
    for await (const m of this.spool.read()) this.link?.send(m);
    this.ready = true;
    this.status.update({ connected: true, hostId: p.hostId, lastConnectedAt: new Date().toISOString(), ...this.spoolFigures() });
    this.log.info({ hostId: p.hostId, replayed: this.spool.size }, 'connected');
    // Tell the server where we stand now rather than at the next tick.
    if (this.last && !this.spool.size) await this.sendCurrent();
  }

  private async onMessage(msg: OtherServerMessage): Promise<void> {
    switch (msg.type) {
      case 'resync':
        // Coalesced: a burst of requests yields one snapshot, at most one per interval.
        this.resync.request(msg.payload.reason);
        return;
      case 'settings':
        if (msg.payload.intervalSeconds && msg.payload.intervalSeconds * 1000 !== this.intervalMs) {
          this.intervalMs = msg.payload.intervalSeconds * 1000;
          this.log.info({ intervalSeconds: msg.payload.intervalSeconds }, 'interval set by the server');
          if (!this.cycleRunning) this.schedule(this.intervalMs);
        }
        return;
      case 'error':
        this.serverErrors.error(
          'server-error',
          { code: msg.payload.code.slice(0, 64), message: msg.payload.message.slice(0, 500) },
          'server reported an error',
        );
        return;
    }
  }

  /**
   * The server asked for a full snapshot (once per burst of asks, see ResyncGate). The values
   * are not kept between cycles: the snapshot comes from a collection made now.
   */
  private async sendResync(): Promise<void> {
    if (!this.ready) return;
    this.wantSnapshot();
  }

  private wantSnapshot(): void {
    this.snapshotWanted = true;
    this.collectNow();
  }

  /** One collection at a time: the next is scheduled when the current one ends. */
  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.cycleRunning = this.cycle()
        .catch((err: unknown) => this.log.error({ err }, 'collection cycle failed'))
        .finally(() => {
          this.cycleRunning = null;
          const again = this.rerun;
          this.rerun = false;
          this.schedule(again ? 0 : this.intervalMs);
        });
    }, delayMs);
  }

  /** A watched file changed: collect now rather than at the next interval. */
  private collectNow(): void {
    if (this.cycleRunning) this.rerun = true;
    else this.schedule(0);
  }

  private async cycle(): Promise<void> {
    const started = performance.now();
    // The values of every fact only when a snapshot may follow; else those that changed.
    const everything = !this.last || this.snapshotWanted;
    const collection = await this.opts.work.collect(
      { root: this.opts.root, live: this.opts.live },
      everything ? null : this.last!.factDigests,
    );
    const current: Collected = { digest: collection.digest, factDigests: collection.factDigests, observedAt: new Date().toISOString() };
    this.log.debug({ wallMs: Math.round(performance.now() - started), errors: Object.keys(collection.errors) }, 'collected');
    const previous = this.last;
    this.last = current;
    if (current.factDigests.get('host') !== previous?.factDigests.get('host')) this.hostNames = hostNamesOf(collection.fact('host'));
    // Asked for while this collection ran, which has the changed values only: the next has all.
    if (this.snapshotWanted && this.ready && !everything) this.rerun = true;
    if (this.snapshotWanted && this.ready && everything) {
      // It replaces whatever is still unacknowledged.
      this.snapshotWanted = false;
      await this.spool.clear();
      await this.emit({ kind: 'snapshot', cur: current, values: collection });
    } else if (!previous) {
      // First cycle of this process: the server may already hold exactly these facts.
      const same = this.ready && this.serverDigest === current.digest && !this.spool.size;
      await this.emit(same ? { kind: 'digest', cur: current } : { kind: 'snapshot', cur: current, values: collection });
    } else if (previous.digest === current.digest) {
      await this.emit({ kind: 'digest', cur: current });
    } else {
      await this.emit({ kind: 'delta', cur: current, values: collection, prev: previous });
    }
    releaseCycleGarbage();
  }

  /** After (re)connecting with nothing spooled: a digest if the server is current, else a snapshot. */
  private async sendCurrent(): Promise<void> {
    if (!this.last) return;
    if (this.serverDigest === this.last.digest) await this.emit({ kind: 'digest', cur: this.last });
    else this.wantSnapshot();
  }

  private async emit(
    m:
      | { kind: 'snapshot'; cur: Collected; values: Collection }
      | { kind: 'delta'; cur: Collected; values: Collection; prev: Collected }
      | { kind: 'digest'; cur: Collected },
  ): Promise<number | null> {
    // Digests carry nothing worth keeping: not spooled, not sent while offline.
    if (m.kind === 'digest' && !this.ready) return null;
    const seq = ++this.state.seq;
    await this.store.save(this.state);
    const { cur } = m;
    let msg: SequencedAgentMessage;
    if (m.kind === 'snapshot') {
      const facts = Object.fromEntries([...cur.factDigests.keys()].map((name) => [name, m.values.fact(name)]));
      msg = {
        version: PROTOCOL_VERSION,
        type: 'snapshot',
        seq,
        payload: { observedAt: cur.observedAt, digest: cur.digest, facts, errors: m.values.errors },
      };
    } else if (m.kind === 'delta') {
      const set: Record<string, unknown> = {};
      for (const [name, digest] of cur.factDigests) {
        if (digest !== m.prev.factDigests.get(name)) set[name] = m.values.fact(name);
      }
      const unset = [...m.prev.factDigests.keys()].filter((n) => !cur.factDigests.has(n));
      msg = {
        version: PROTOCOL_VERSION,
        type: 'delta',
        seq,
        payload: { observedAt: cur.observedAt, baseDigest: m.prev.digest, digest: cur.digest, set, unset, errors: m.values.errors },
      };
    } else {
      msg = { version: PROTOCOL_VERSION, type: 'digest', seq, payload: { observedAt: cur.observedAt, digest: cur.digest } };
    }
    if (msg.type !== 'digest') await this.spool.put(msg);
    const sent = this.ready && !!this.link?.send(msg);
    if (sent) this.status.update({ lastMessageAt: new Date().toISOString(), lastMessageType: msg.type, ...this.spoolFigures() });
    this.log.debug({ type: msg.type, seq, sent, ...(msg.type === 'delta' && { changed: Object.keys(msg.payload.set) }) }, 'message');
    return seq;
  }

  /** Waits for a running collection to end (used when stopping cleanly). */
  async drain(): Promise<void> {
    await this.cycleRunning;
  }
}

/** The host fact's names for the hello (a failed host collector leaves them unknown). */
function hostNamesOf(host: unknown): HostNames | null {
  const h = host as { hostname?: unknown; machine_id?: unknown } | undefined;
  if (typeof h?.hostname !== 'string') return null;
  return { hostname: h.hostname, machineId: typeof h.machine_id === 'string' ? h.machine_id : null };
}
