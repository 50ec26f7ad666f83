// The simulated fleet spread over child processes (shard.mjs), each holding a share of the
// agents: one process may open only as many sockets as its open-files limit allows (20,000
// here), and a fleet of that size needs a few more for the run itself. Agent i is simulated
// by shard i % S and is the same agent (facts, seed, source address, first replica) whatever
// S is. The run talks to this as it would to one Fleet: the counters are the sum of the
// shards' last reports (every 100 ms), the waits ask every shard and return when all did,
// and the change -> live event matching happens here, where the live client is.
import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sourceAddresses, Stats } from './fleet.mjs';

const SHARD = fileURLToPath(new URL('./shard.mjs', import.meta.url));
/** Descriptors a simulator process needs besides its agents' sockets (IPC, stdio, the live client, API probes). */
export const SHARD_FILES_RESERVE = 200;

/** Shards needed for `n` agents when each process may open `files` descriptors. */
export function shardsFor(n, files) {
  return Number.isFinite(files) ? Math.max(1, Math.ceil(n / Math.max(1, files - SHARD_FILES_RESERVE))) : 1;
}

export class ShardedFleet {
  /** Starts `shards` processes and gives each its agents; `opts` as for Fleet, plus `repo`. */
  static async start({ shards, n, urls, ...opts }) {
    const fleet = new ShardedFleet(shards, n, urls.length);
    fleet.addresses = sourceAddresses(n);
    const inits = fleet.children.map((_, s) =>
      fleet.call(s, 'init', { ...opts, n, urls, indexes: Array.from({ length: Math.ceil((n - s) / shards) }, (_, k) => s + k * shards) }),
    );
    const [first] = await Promise.all(inits);
    fleet.factsBytes = first.factsBytes;
    return fleet;
  }

  constructor(shards, n, replicas) {
    this.n = n;
    this.stats = new Stats(replicas);
    this.reports = Array.from({ length: shards }, () => null);
    this.calls = new Map();
    this.nextId = 1;
    this.enrolledBy = Array.from({ length: shards }, () => 0);
    this.onEnrolled = null;
    this.children = this.reports.map((_, s) => {
      const child = fork(SHARD, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      child.on('message', (msg) => this.onMessage(s, msg));
      child.on('exit', (code, signal) => {
        for (const [id, call] of this.calls) {
          if (call.shard !== s) continue;
          this.calls.delete(id);
          call.reject(new Error(`simulator shard ${s} exited (${signal ?? code}) during ${call.op}`));
        }
      });
      return child;
    });
  }

  onMessage(s, msg) {
    if (msg.event === 'stats') return this.aggregate(s, msg);
    if (msg.event === 'change') return this.stats.changeSent(msg.hostId, msg.path, msg.at - performance.timeOrigin, msg.replica);
    if (msg.event === 'enrolled') {
      this.enrolledBy[s] = msg.n;
      const total = this.enrolledBy.reduce((a, b) => a + b, 0);
      // Progress in thousands over the whole fleet, as one process would report it.
      if (Math.floor(total / 1000) > Math.floor(this.enrolledReported / 1000)) this.onEnrolled?.(Math.floor(total / 1000) * 1000);
      this.enrolledReported = total;
      return;
    }
    const call = this.calls.get(msg.id);
    if (!call) return;
    this.calls.delete(msg.id);
    if (msg.error) call.reject(new Error(`simulator shard ${s}: ${msg.error}`));
    else call.resolve(msg.result);
  }

  /** The run's counters: the sum of every shard's last report. */
  aggregate(s, report) {
    this.reports[s] = report;
    const st = this.stats;
    const all = this.reports.filter(Boolean);
    const sum = (key) => all.reduce((a, r) => a + r[key], 0);
    const sumBy = (key) => st.connectedBy.map((_, i) => all.reduce((a, r) => a + r[key][i], 0));
    st.connectedNow = sum('connectedNow');
    st.connectedBy = sumBy('connectedBy');
    st.connectedPeak = Math.max(st.connectedPeak, st.connectedNow);
    st.stored = sum('stored');
    st.storedBy = sumBy('storedBy');
    st.acks = sum('acks');
    st.acksBy = sumBy('acksBy');
    st.lostMessages = sum('lostMessages');
    st.lostAgents = new Set(all.flatMap((r) => r.lostAgents));
    st.counters = new Map();
    for (const r of all) for (const [k, v] of r.counters) st.count(k, v);
    this.settledCount = sum('settled');
  }

  call(s, op, args) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { shard: s, op, resolve, reject });
      this.children[s].send({ id, op, args });
    });
  }

  /** The same call on every shard; resolves with their answers once all answered. */
  all(op, args) {
    return Promise.all(this.children.map((_, s) => this.call(s, op, args)));
  }

  get agentCount() {
    return this.n;
  }

  /** Enrolls every agent, `concurrency` at a time over the whole fleet; returns how many are stored. */
  async enroll(concurrency, timeoutMs, progress) {
    this.onEnrolled = progress;
    this.enrolledReported = 0;
    const per = Math.max(1, Math.ceil(concurrency / this.children.length));
    return (await this.all('enroll', { concurrency: per, timeoutMs })).reduce((a, b) => a + b, 0);
  }

  /** `count` settled agents (spread over the shards) send a full snapshot at once; returns how many did. */
  async burst(count, timeoutMs) {
    const S = this.children.length;
    const shares = this.children.map((_, s) => Math.floor(count / S) + (s < count % S ? 1 : 0));
    return (await Promise.all(shares.map((c, s) => this.call(s, 'burst', { count: c, timeoutMs })))).reduce((a, b) => a + b, 0);
  }

  startTicking() {
    return this.all('startTicking');
  }

  stopTicking() {
    return this.all('stopTicking');
  }

  trackLatency(on) {
    return this.all('trackLatency', { on });
  }

  /** Waits until every agent is connected with nothing unacknowledged; returns how many are. */
  async waitSettled(timeoutMs) {
    const counts = await this.all('waitSettled', { timeoutMs });
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Waits until no agent is connected to `replica` any more; returns how many still are. */
  async waitLeft(replica, timeoutMs) {
    return (await this.all('waitLeft', { replica, timeoutMs })).reduce((a, b) => a + b, 0);
  }

  /** Every agent's state (see shard.mjs agentStates), in index order. */
  async agentStates() {
    return (await this.all('agentStates')).flat().sort((a, b) => a.index - b.index);
  }

  /** The shards' CPU seconds (summed) and event-loop delay p99 (the worst). */
  async usage() {
    const all = await this.all('usage');
    return {
      cpuSeconds: all.reduce((a, u) => a + u.cpuSeconds, 0),
      loopDelayP99Ms: Math.max(...all.map((u) => u.loopDelayP99Ms)),
      each: all,
    };
  }

  /** Ends every agent and shard process. */
  async stop() {
    await Promise.race([this.all('stop').catch(() => undefined), new Promise((r) => setTimeout(r, 5000))]);
    for (const child of this.children) {
      if (child.connected) child.disconnect();
      // A shard that does not exit on its own is ended.
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5000).unref();
    }
  }
}
