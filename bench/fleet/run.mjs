// `pnpm bench:fleet`: the built server on a fresh database (one process, or R replicas on one
// PostgreSQL database behind a simulated load balancer), N simulated agents speaking the real
// protocol, a live-feed client and a user paging the fleet API, then a restart of one process.
// Figures come in total and, with replicas, per process (`<figure>_replica_<i>`).
// Prints one JSON line per figure ({"name","value","unit","target","ok"}), then a table;
// keeps the figures in bench/results/fleet-<timestamp>.jsonl. Build first (`pnpm build`).
// Every phase has a time limit, and a watchdog ends the whole run if one is overrun.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { readArgs } from './args.mjs';
import { loadFixtures } from './facts.mjs';
import { hasEndpoint, liveClient, pollApi } from './probes.mjs';
import { summarize } from './profile.mjs';
import { percentile, Report } from './report.mjs';
import { checkStored, restartReplica } from './restart.mjs';
import { freePort, freshDatabase, openFilesLimit, ServerProcess, serverCli } from './server.mjs';
import { SHARD_FILES_RESERVE, ShardedFleet, shardsFor } from './shards.mjs';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const args = readArgs(process.argv.slice(2));
/** The server's Node flags and environment in production (the Dockerfile and `pnpm start` use the same). */
const runtime = JSON.parse(readFileSync(path.join(repo, 'apps/server/runtime.json'), 'utf8'));
const log = (msg) => process.stderr.write(`[fleet ${(performance.now() / 1000).toFixed(1)}s] ${msg}\n`);
for (const f of ['apps/server/dist/cli.js', 'apps/agent/dist/cli.js']) {
  if (!existsSync(path.join(repo, f))) {
    console.error(`bench:fleet: ${f} is missing; run pnpm build first`);
    process.exit(2);
  }
}
const WebSocket = createRequire(path.join(repo, 'apps/server/package.json'))('ws');
const N = args.agents;
const R = args.replicas;
// A simulator process holds a descriptor per agent (Node raised its soft limit to the hard
// one): the agents are spread over as many processes as that takes, or as asked.
const files = openFilesLimit() ?? { soft: Infinity, hard: Infinity };
const S = args.simProcesses ?? shardsFor(N, files.soft);
if (Math.ceil(N / S) + SHARD_FILES_RESERVE > files.soft) {
  console.error(
    `bench:fleet: ${Math.ceil(N / S)} agents in each of ${S} simulator processes need about ${Math.ceil(N / S) + SHARD_FILES_RESERVE} open files each and the limit is ${files.soft} (hard limit ${files.hard}); give more --sim-processes or raise the hard limit (ulimit -Hn, LimitNOFILE)`,
  );
  process.exit(2);
}
// Enrollment is bound by the server (each is an enrollment and a first full snapshot stored).
const rampTimeoutMs = 60_000 + N * 100;
const restartTimeoutMs = 120_000;
const report = new Report();
const loopDelay = monitorEventLoopDelay({ resolution: 20 });

/** Each process's share of a counter, "a / b" (for notes). */
const split = (values) => values.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(1) : v)).join(' / ');

/** The server processes: one, or the replicas (agent i starts on replica i % R). */
const servers = [];
let db = null;
let fleet = null;
async function teardown() {
  await fleet?.stop();
  fleet = null;
  await Promise.all(servers.map((s) => s.stop('SIGTERM').catch(() => undefined)));
  await db?.drop().catch((err) => log(`could not drop the database: ${err.message}`));
  db = null;
}
// Bounded no matter what: setup, ramp, burst, steady phase, restart, with slack.
const watchdog = setTimeout(
  async () => {
    log('watchdog: the run overran its time limit; stopping');
    await teardown();
    process.exit(1);
  },
  300_000 + rampTimeoutMs + args.durationMs + 2 * restartTimeoutMs,
);
watchdog.unref();
process.once('SIGINT', async () => {
  await teardown();
  process.exit(130);
});

try {
  await main();
} catch (err) {
  log(`failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await teardown();
  clearTimeout(watchdog);
}
// A failure can leave a timer or a socket of the run behind; nothing is left to wait for.
if (process.exitCode) process.exit();

async function main() {
  const where = R === 1 ? 'one server process' : `${R} server replicas`;
  log(
    `collecting fixture facts; ${N} agents on ${where}, change rate ${args.changeRate}, interval ${args.intervalMs / 1000}s, ${args.database}`,
  );
  const fixtures = loadFixtures(repo);
  db = await freshDatabase(args.database, repo);
  const token = serverCli(repo, db.env, ['token', 'create', '--name', 'fleet', '--max-uses', String(N + 10), '--expires', '1d']);
  const apiKey = serverCli(repo, db.env, ['apikey', 'create', '--name', 'fleet-bench', '--role', 'admin']);
  // Profiles are large: kept in the temp dir, not under bench/results (which is versioned).
  const profDir = path.join(tmpdir(), `plumbline-fleet-prof-${Date.now()}`);
  if (args.cpuProf) mkdirSync(profDir, { recursive: true });
  for (let i = 0; i < R; i++) {
    servers.push(
      new ServerProcess({
        repo,
        env: { ...runtime.env, ...db.env, LOG_LEVEL: args.logLevel },
        port: await freePort(),
        // Outside the database directory, so it outlives the run for a post-mortem.
        logFile: path.join(tmpdir(), `plumbline-fleet-${process.pid}${R > 1 ? `-replica-${i}` : ''}.log`),
        // Run as production runs it (apps/server/runtime.json), unless told otherwise.
        nodeArgs: [
          ...(args.serverNodeOptions ?? runtime.nodeOptions).split(/\s+/).filter(Boolean),
          ...(args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
        ],
        name: R === 1 ? 'the server' : `replica ${i}`,
      }),
    );
  }
  const phase = (name) => servers.forEach((s) => s.phase(name));
  // Started together, as a deployment starts them (the migration lock orders them).
  const startups = await Promise.all(servers.map((s) => s.start()));
  phase('ramp');
  for (const [i, s] of servers.entries()) {
    log(
      `${s.name} up in ${startups[i].toFixed(1)}s at ${s.url} (pid ${s.pid}, open files limit ${openFilesLimit(s.pid)?.soft ?? '?'}); log: ${s.logFile}`,
    );
  }
  // Failover puts replica 0's agents on replica 1, on top of its own.
  const mostHeld = R === 1 ? N : Math.ceil((2 * N) / R);
  const serverFiles = openFilesLimit(servers[0].pid)?.soft ?? Infinity;
  if (mostHeld + 200 > serverFiles)
    log(
      `note: a server process may be asked to hold ${mostHeld} agents and may open ${serverFiles} files; beyond its PLUMBLINE_MAX_AGENTS (by default that limit less a reserve) it answers 503 and the agents retry, on another replica once one takes them`,
    );
  const rss = servers.map(() => []);
  const sampler = setInterval(() => {
    for (const [i, server] of servers.entries()) {
      const s = server.sample();
      if (s) rss[i].push(s.rssMb);
    }
  }, 1000);
  loopDelay.enable();
  const benchCpu0 = process.cpuUsage();
  const urls = servers.map((s) => s.url);

  fleet = await ShardedFleet.start({
    shards: S,
    n: N,
    urls: servers.map((s) => `ws://127.0.0.1:${s.port}/agent/v1/ws`),
    token,
    intervalMs: args.intervalMs,
    changeRate: args.changeRate,
    fixtures,
    seed: args.seed,
    repo,
  });
  const stats = fleet.stats;
  // On the last replica: the changes of agents on every other one reach it through the database.
  const liveAt = R - 1;
  let live = await liveClient(WebSocket, servers[liveAt].url, apiKey, (e, t) => stats.liveEvent(e, t));

  // 1. Ramp: every agent enrolls and has its first snapshot stored.
  log(
    `enrolling ${N} agents from ${fleet.addresses.length} source addresses (${fleet.addresses[0]}...) in ${S} simulator process${S > 1 ? 'es' : ''}`,
  );
  let t = performance.now();
  const enrolled = await fleet.enroll(args.rampConcurrency, rampTimeoutMs, (n) => log(`${n} enrolled`));
  const rampS = (performance.now() - t) / 1000;
  log(`${enrolled}/${N} enrolled in ${rampS.toFixed(1)}s${R > 1 ? `; per replica ${split(stats.connectedBy)}` : ''}`);
  const kb = Math.round(fleet.factsBytes / 1024);
  const evaluating = await hasEndpoint(urls[0], apiKey, '/api/v1/summary');
  const evalNote = evaluating
    ? 'rules evaluated on ingest'
    : 'this server build does not evaluate rules on ingest yet (no /api/v1/summary)';
  report.add('fleet_snapshots_per_second', stats.stored / rampS, 'snapshots/s', '>= 500', {
    note: `first full snapshots (~${kb} KB) stored during enrollment, ${args.rampConcurrency} agents at a time (each also an enrollment transaction): ${enrolled}/${N} in ${rampS.toFixed(1)} s on ${args.database}${R > 1 ? ` through ${R} replicas` : ''}; ${evalNote}`,
  });
  report.perReplica('fleet_snapshots_per_second', R, 'snapshots/s', null, (i) => ({
    value: stats.storedBy[i] / rampS,
    note: `${stats.storedBy[i]} first snapshots acknowledged by replica ${i} during the ramp`,
  }));

  // 2. Burst: many full snapshots at once, the ingest path at saturation.
  if (args.burst > 0) {
    phase('burst');
    const storedBy0 = [...stats.storedBy];
    const stored0 = stats.stored;
    t = performance.now();
    const sent = await fleet.burst(args.burst, 120_000);
    const s = (performance.now() - t) / 1000;
    report.add('fleet_burst_snapshots_per_second', (stats.stored - stored0) / s, 'snapshots/s', '>= 500', {
      note: `${stats.stored - stored0}/${sent} full snapshots (~${kb} KB, each with one change) sent at once by enrolled agents, stored in ${s.toFixed(1)} s on ${args.database}; ${evalNote}`,
    });
    report.perReplica('fleet_burst_snapshots_per_second', R, 'snapshots/s', null, (i) => ({
      value: (stats.storedBy[i] - storedBy0[i]) / s,
      note: `full snapshots acknowledged by replica ${i} in the burst`,
    }));
  }

  // 3. Steady phase: digests, changes at the change rate, a live client and API users.
  log(`steady phase for ${args.durationMs / 1000}s`);
  phase('steady');
  await fleet.trackLatency(true);
  await fleet.startTicking();
  const cpu0 = servers.map((s) => s.sample());
  const acks0 = stats.acks;
  const acksBy0 = [...stats.acksBy];
  const stored0 = stats.stored;
  let minConnected = stats.connectedNow;
  t = performance.now();
  const end = t + args.durationMs;
  const until = () => performance.now() >= end;
  const watchConnections = setInterval(() => (minConnected = Math.min(minConnected, stats.connectedNow)), 250);
  const hostsPage = () => `/api/v1/hosts?limit=50&offset=${Math.floor(Math.random() * Math.max(1, N - 50))}`;
  const hasSummary = await hasEndpoint(urls[0], apiKey, '/api/v1/summary');
  // The requests take turns among the replicas, as a load balancer spreads them.
  const [hostsApi, summaryApi] = await Promise.all([
    pollApi(urls, apiKey, hostsPage, { until }),
    hasSummary ? pollApi(urls, apiKey, () => '/api/v1/summary', { until, pauseMs: 200 }) : null,
    sleep(args.durationMs),
  ]);
  clearInterval(watchConnections);
  const steadyS = (performance.now() - t) / 1000;
  const cpu1 = servers.map((s) => s.sample());
  await fleet.trackLatency(false);
  // Changes sent in the last moments still have their events on the way.
  for (let i = 0; i < 50 && stats.unmatched; i++) await sleep(100);
  const connectedEnd = stats.connectedNow;
  const connectedByEnd = [...stats.connectedBy];

  report.add('fleet_connections', connectedEnd, 'agents', `>= ${N}`, {
    note: `agents connected and welcomed at the end of the steady phase; lowest during it ${minConnected}, peak ${stats.connectedPeak}${R > 1 ? `; per replica ${split(connectedByEnd)}` : ''}`,
  });
  report.perReplica('fleet_connections', R, 'agents', null, (i) => ({
    value: connectedByEnd[i],
    note: `agents connected to replica ${i} at the end of the steady phase (agent i starts on replica i % ${R})`,
  }));
  const ackedBy = stats.acksBy.map((n, i) => n - acksBy0[i]);
  report.add('fleet_steady_acked_per_second', (stats.acks - acks0) / steadyS, 'messages/s', null, {
    note: `digests + deltas acknowledged (offered: ${N} agents / ${args.intervalMs / 1000} s); ${stats.stored - stored0} deltas stored`,
  });
  report.perReplica('fleet_steady_acked_per_second', R, 'messages/s', null, (i) => ({
    value: ackedBy[i] / steadyS,
    note: `digests + deltas acknowledged by replica ${i}`,
  }));
  const lat = stats.latencies;
  const latNote = `${lat.length} changes matched to their host.updated event; ${stats.unmatched} unmatched; timed in the bench process (includes its own event-loop delay)${R > 1 ? `; the live client is on replica ${liveAt}, matched per replica of the change's agent ${split(stats.latenciesBy.map((l) => l.length))}` : ''}`;
  const latencyFigure = (name, values, p, target, note) =>
    report.add(name, percentile(values, p) ?? -1, 'ms', target, values.length ? { note } : { ok: false, note });
  latencyFigure('fleet_change_to_live_p50_ms', lat, 50, null, latNote);
  latencyFigure('fleet_change_to_live_p99_ms', lat, 99, '<= 2000', latNote);
  const latBy = (p) => (i) => {
    const values = stats.latenciesBy[i];
    const note = `${values.length} changes of agents on replica ${i}, seen by the live client on replica ${liveAt}${i === liveAt ? '' : ' (across replicas through LISTEN/NOTIFY)'}`;
    return { value: percentile(values, p) ?? -1, ok: values.length > 0 && (p < 99 || percentile(values, p) <= 2000), note };
  };
  report.perReplica('fleet_change_to_live_p50_ms', R, 'ms', null, latBy(50));
  report.perReplica('fleet_change_to_live_p99_ms', R, 'ms', '<= 2000', latBy(99));
  const apiFigure = (name, api, what, exists) => {
    if (!api?.times.length) {
      const note = !exists ? `GET ${what} does not exist in this server build yet` : `every ${what} request failed`;
      return report.add(name, -1, 'ms', '<= 200', { ok: false, note });
    }
    report.add(name, percentile(api.times, 95), 'ms', '<= 200', {
      note: `${api.times.length} x GET ${what} at ${N} hosts during the steady phase; ${api.failed} failed${R > 1 ? `; taking turns among ${R} replicas` : ''}`,
    });
    report.perReplica(name, R, 'ms', '<= 200', (i) => {
      const { times, failed } = api.byReplica[i];
      return {
        value: percentile(times, 95) ?? -1,
        ok: times.length > 0 && percentile(times, 95) <= 200,
        note: `${times.length} answered by replica ${i}; ${failed} failed`,
      };
    });
  };
  apiFigure('fleet_api_hosts_p95_ms', hostsApi, '/api/v1/hosts?limit=50&offset=random', true);
  apiFigure('fleet_api_summary_p95_ms', summaryApi, '/api/v1/summary', hasSummary);
  if (cpu0.every(Boolean) && cpu1.every(Boolean)) {
    const cpuBy = servers.map((_, i) => (100 * (cpu1[i].cpuSeconds - cpu0[i].cpuSeconds)) / steadyS);
    report.add(
      'fleet_server_cpu_steady',
      cpuBy.reduce((a, b) => a + b, 0),
      '% of one core',
      null,
      {
        note: `server process${R > 1 ? 'es' : ''} user+system CPU during the steady phase (${cpu1.reduce((a, c) => a + c.cpuSeconds, 0).toFixed(1)} s in total so far)${R > 1 ? `; the sum over ${R} replicas` : ''}`,
      },
    );
    report.perReplica('fleet_server_cpu_steady', R, '% of one core', null, (i) => ({
      value: cpuBy[i],
      note: `replica ${i} (pid ${servers[i].pid}) user+system CPU during the steady phase (${cpu1[i].cpuSeconds.toFixed(1)} s so far)`,
    }));
  }

  // 4. Restart: SIGTERM to one process, start it again on the same database; every agent back, nothing lost.
  if (args.restart) {
    live = await restartReplica({ servers, fleet, report, live, liveAt, WebSocket, apiKey, timeoutMs: restartTimeoutMs, log });
  }

  // 5. What the server stored: change rows of a sample of hosts against what the agents made.
  phase('check');
  await checkStored({ servers, fleet, report, apiKey });

  clearInterval(sampler);
  const last = servers.map((s) => s.sample());
  const peaks = last.map((s) => s?.peakRssMb ?? -1);
  const phasePeaks = servers.map((s) => s.phasePeaks());
  const median = (i) => (percentile(rss[i], 50) ?? 0).toFixed(0);
  report.add('fleet_server_rss_peak_mb', R === 1 ? peaks[0] : peaks.reduce((a, b) => a + b, 0), 'MB', R === 1 ? '<= 400' : null, {
    note:
      R === 1
        ? `VmHWM of the server process(es); median RSS ${median(0)} MB; peak by phase (MB): ${phasePeaks[0]}`
        : `the sum of ${R} replicas' peaks (VmHWM; each one's own below, where DESIGN's 400 MB per process applies): ${split(peaks.map((p) => Math.round(p)))} MB`,
  });
  report.perReplica('fleet_server_rss_peak_mb', R, 'MB', '<= 400', (i) => ({
    value: peaks[i],
    note: `VmHWM of replica ${i}${i === 0 && args.restart ? ' (restarted: the larger of its two lives)' : ''}; median RSS ${median(i)} MB; peak by phase (MB): ${phasePeaks[i]}`,
  }));
  const benchCpu = process.cpuUsage(benchCpu0);
  const shards = await fleet.usage();
  const loopP99 = Math.max(loopDelay.percentile(99) / 1e6, shards.loopDelayP99Ms);
  report.add('fleet_bench_loop_delay_p99_ms', loopP99, 'ms', null, {
    note: `the simulator's own event-loop delay, the worst of the run (${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, where the live client is) and its ${S} agent process${S > 1 ? 'es' : ''} (${split(shards.each.map((u) => u.loopDelayP99Ms))} ms): latency figures include it; simulator CPU ${((benchCpu.user + benchCpu.system) / 1e6 + shards.cpuSeconds).toFixed(1)} s`,
  });
  const other = [...stats.counters].map(([k, v]) => `${k}=${v}`).join(' ');
  if (other) log(`counters: ${other}`);
  live.terminate();
  await teardown();
  console.log(`\n${report.table()}`);
  const meta = { agents: N, replicas: R, changeRate: args.changeRate, database: args.database };
  log(`figures kept in ${path.relative(repo, report.save(repo, meta))}`);
  if (args.cpuProf) for (const f of readdirSync(profDir).sort()) log(`\n${summarize(path.join(profDir, f))}`);
  if (args.cpuProf) log(`profiles kept in ${profDir}`);
}
