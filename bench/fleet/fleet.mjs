// The simulated fleet: N agents spread over several loopback source addresses and over the
// server replicas (agent i starts on replica i % R), what they count, in total and per
// replica, and the change -> live event matching used for the latency figure.
import { performance } from 'node:perf_hooks';
import { clearTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { SimAgent } from './agent.mjs';
import { agentFacts, rng } from './facts.mjs';

/** Whether a live event's `changed` list names a changed path (or a path under it). */
const names = (changed, path) => changed.some((c) => c === path || c.startsWith(`${path}.`));
/** How long a live event that settled no change is kept for a change reported after it. */
const EARLY_MS = 5000;

/**
 * Counters shared by every agent of the fleet (one event loop: no locking needed); the
 * `...By` arrays hold the same per server replica: where the agent was connected.
 */
export class Stats {
  constructor(replicas = 1) {
    const each = (make) => Array.from({ length: replicas }, make);
    this.counters = new Map();
    this.connectedNow = 0;
    this.connectedPeak = 0;
    this.connectedBy = each(() => 0);
    /** Snapshots and deltas acknowledged (each acknowledged spool entry counts once). */
    this.stored = 0;
    this.storedBy = each(() => 0);
    this.acks = 0;
    this.acksBy = each(() => 0);
    this.lostMessages = 0;
    this.lostAgents = new Set();
    /** hostId -> changes sent and not yet seen on the live feed: [{ path, at, replica }]. */
    this.pending = new Map();
    this.latencies = [];
    /** By the replica the change's agent was connected to (the live client is on one of them). */
    this.latenciesBy = each(() => []);
    /**
     * hostId -> live events that settled no change, for EARLY_MS: with the agents in other
     * processes, a change's report can come after its event.
     */
    this.early = new Map();
    this.earlyAdded = 0;
  }

  count(name, n = 1) {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }

  connected(delta, replica) {
    this.connectedNow += delta;
    this.connectedBy[replica] += delta;
    this.connectedPeak = Math.max(this.connectedPeak, this.connectedNow);
  }

  acked(stored, replica) {
    this.acks++;
    this.acksBy[replica]++;
    this.stored += stored;
    this.storedBy[replica] += stored;
  }

  lost(agent, n) {
    this.lostMessages += n;
    this.lostAgents.add(agent.index);
  }

  changeSent(hostId, path, at, replica) {
    const seen = this.early.get(hostId)?.find((e) => e.at >= at && names(e.changed, path));
    if (seen) return this.settle(seen.at - at, replica);
    const list = this.pending.get(hostId) ?? [];
    list.push({ path, at, replica });
    this.pending.set(hostId, list);
  }

  /** A live event: settles every pending change of that host whose path it names. */
  liveEvent(event, at) {
    if (event.type !== 'host.updated' || !event.changed?.length) return;
    const list = this.pending.get(event.hostId) ?? [];
    const left = list.filter((c) => !names(event.changed, c.path) || this.settle(at - c.at, c.replica));
    if (left.length) this.pending.set(event.hostId, left);
    else this.pending.delete(event.hostId);
    if (left.length === list.length) this.keepEarly(event.hostId, event.changed, at);
  }

  /** Records a change's latency; false, for `filter`. */
  settle(ms, replica) {
    this.latencies.push(ms);
    this.latenciesBy[replica].push(ms);
    return false;
  }

  keepEarly(hostId, changed, at) {
    const fresh = (e) => at - e.at < EARLY_MS;
    this.early.set(hostId, [...(this.early.get(hostId) ?? []).filter(fresh), { changed, at }]);
    // An occasional sweep of the hosts that had no event since.
    if (++this.earlyAdded % 1000 === 0) {
      for (const [id, events] of this.early) if (!events.some(fresh)) this.early.delete(id);
    }
  }

  get unmatched() {
    let n = 0;
    for (const list of this.pending.values()) n += list.length;
    return n;
  }
}

/** Source addresses: 127.0.0.2 ... so that one address's ~28k ephemeral ports never bound N. */
export function sourceAddresses(n) {
  const count = Math.min(250, Math.max(4, Math.ceil(n / 2500)));
  return Array.from({ length: count }, (_, i) => `127.0.0.${i + 2}`);
}

export class Fleet {
  /**
   * `urls`: the agent socket of every server replica; agent i starts on urls[i % urls.length].
   * `indexes`: the agents of the fleet of `n` this process simulates (all by default); each is
   * the same agent whichever process simulates it.
   */
  constructor({ n, indexes = Array.from({ length: n }, (_, i) => i), urls, token, intervalMs, changeRate, fixtures, WebSocket, seed = 1 }) {
    this.stats = new Stats(urls.length);
    const addresses = sourceAddresses(n);
    this.addresses = addresses;
    this.agents = indexes.map((i) => {
      const random = rng(seed * 1_000_003 + i + 1);
      const fixture = fixtures[i % fixtures.length];
      return new SimAgent({
        index: i,
        urls,
        first: i % urls.length,
        token,
        localAddress: addresses[i % addresses.length],
        facts: agentFacts(fixture, i, random),
        errors: fixture.errors,
        intervalMs,
        changeRate,
        random,
        WebSocket,
        stats: this.stats,
      });
    });
  }

  /** Enrolls every agent (hello, welcome, first snapshot acknowledged), at most `concurrency` at a time. */
  async enroll(concurrency, timeoutMs, progress) {
    const deadline = performance.now() + timeoutMs;
    // One shared, unreferenced timer: it must not keep the process alive after the ramp.
    const timeUp = sleep(timeoutMs, undefined, { ref: false });
    let next = 0;
    let done = 0;
    const worker = async () => {
      while (next < this.agents.length && performance.now() < deadline) {
        const agent = this.agents[next++];
        await Promise.race([agent.start(), timeUp]);
        if (++done % 1000 === 0) progress?.(done);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return this.agents.filter((a) => a.acked >= 1).length;
  }

  startTicking() {
    for (const a of this.agents) a.startTicking();
  }

  /** No more collection cycles; connections, spools and replays go on. */
  stopTicking() {
    for (const a of this.agents) clearTimeout(a.ticking);
  }

  trackLatency(on) {
    for (const a of this.agents) a.trackLatency = on;
  }

  get settledCount() {
    let n = 0;
    for (const a of this.agents) if (a.settled) n++;
    return n;
  }

  /** Waits until every agent is connected with nothing unacknowledged; returns how many are. */
  async waitSettled(timeoutMs, pollMs = 100) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline) {
      if (this.settledCount === this.agents.length) return this.agents.length;
      await sleep(pollMs);
    }
    return this.settledCount;
  }

  /** Waits until no agent is connected to `replica` any more; returns how many still are. */
  async waitLeft(replica, timeoutMs, pollMs = 50) {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && this.stats.connectedBy[replica] > 0) await sleep(pollMs);
    return this.stats.connectedBy[replica];
  }

  stop() {
    for (const a of this.agents) a.stop();
  }
}
