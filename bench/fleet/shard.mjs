// One simulator process: a share of the fleet's agents (see shards.mjs), driven by the run
// over IPC. A process may hold only as many sockets as its open-files limit allows, so a
// fleet larger than that is spread over several of these.
//
// In:  { id, op, args } — init, enroll, burst, startTicking, stopTicking, trackLatency,
//      waitSettled, waitLeft, agentStates, usage, stop. Out: { id, result } or { id, error };
//      and, unasked, { event: 'stats', ... } every STATS_MS, { event: 'change', ... } for each
//      tracked change (its time on the shared clock, performance.timeOrigin + now),
//      { event: 'enrolled', n } every 1000 agents.
import { createRequire } from 'node:module';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { setInterval } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { Fleet } from './fleet.mjs';

const STATS_MS = 100;
/**
 * To the run, while it listens. A report sent as the run goes away fails with EPIPE: the
 * callback takes the error (without one it would be thrown), and there is no one to tell.
 */
const tell = (msg) => process.connected && process.send(msg, undefined, {}, () => undefined);
const loopDelay = monitorEventLoopDelay({ resolution: 20 });
let fleet = null;

/** What the run aggregates over shards: counters, and how many of this shard's agents are settled. */
function statsOf() {
  const s = fleet.stats;
  return {
    event: 'stats',
    connectedNow: s.connectedNow,
    connectedBy: s.connectedBy,
    stored: s.stored,
    storedBy: s.storedBy,
    acks: s.acks,
    acksBy: s.acksBy,
    lostMessages: s.lostMessages,
    lostAgents: [...s.lostAgents],
    counters: [...s.counters],
    settled: fleet.settledCount,
  };
}

const ops = {
  init({ repo, n, indexes, urls, token, intervalMs, changeRate, fixtures, seed }) {
    const WebSocket = createRequire(path.join(repo, 'apps/server/package.json'))('ws');
    fleet = new Fleet({ n, indexes, urls, token, intervalMs, changeRate, fixtures, WebSocket, seed });
    // The run matches changes to live events: each change goes to it as it is sent.
    fleet.stats.changeSent = (hostId, changePath, at, replica) =>
      tell({ event: 'change', hostId, path: changePath, at: performance.timeOrigin + at, replica });
    loopDelay.enable();
    setInterval(() => tell(statsOf()), STATS_MS).unref();
    return { factsBytes: JSON.stringify(fleet.agents[0]?.facts ?? {}).length };
  },
  async enroll({ concurrency, timeoutMs }) {
    return fleet.enroll(concurrency, timeoutMs, (n) => tell({ event: 'enrolled', n }));
  },
  /** `count` settled agents send a full snapshot with a change at once; resolves when they are settled again. */
  async burst({ count, timeoutMs }) {
    const burst = fleet.agents.filter((a) => a.settled).slice(0, count);
    for (const a of burst) a.snapshotWithChange();
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && burst.some((a) => !a.settled)) await sleep(50);
    return burst.length;
  },
  startTicking: () => fleet.startTicking(),
  stopTicking: () => fleet.stopTicking(),
  trackLatency: ({ on }) => fleet.trackLatency(on),
  waitSettled: ({ timeoutMs }) => fleet.waitSettled(timeoutMs),
  waitLeft: ({ replica, timeoutMs }) => fleet.waitLeft(replica, timeoutMs),
  /** Each agent as the checks need it; `heardAgoMs`: since the server last answered it. */
  agentStates() {
    const now = performance.now();
    return fleet.agents.map((a) => ({
      index: a.index,
      hostId: a.hostId,
      ready: a.ready,
      welcomes: a.welcomes,
      settled: a.settled,
      heardAgoMs: a.heardAt ? now - a.heardAt : null,
      changes: a.changes,
      expectedRows: a.expectedRows,
    }));
  },
  usage() {
    const cpu = process.cpuUsage();
    return { cpuSeconds: (cpu.user + cpu.system) / 1e6, loopDelayP99Ms: loopDelay.percentile(99) / 1e6 };
  },
  /** Ends every agent (the last counters go with the answer, as after every op). The run then disconnects, which ends the process. */
  stop() {
    fleet?.stop();
  },
};

process.on('message', async ({ id, op, args }) => {
  try {
    const result = await ops[op](args ?? {});
    // Counters as of the answer, so that the run reads them current once a wait returns.
    if (fleet) tell(statsOf());
    tell({ id, result: result ?? null });
  } catch (err) {
    tell({ id, error: String(err?.stack ?? err) });
  }
});
// The run went away: nothing to simulate for.
process.on('disconnect', () => {
  fleet?.stop();
  process.exit(0);
});
