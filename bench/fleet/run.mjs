// `pnpm bench:fleet`: the built server on a fresh database, N simulated agents speaking the
// real protocol, a live-feed client and a user paging the fleet API, then a server restart.
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
import { Fleet } from './fleet.mjs';
import { hasEndpoint, liveClient, pollApi } from './probes.mjs';
import { summarize } from './profile.mjs';
import { percentile, Report } from './report.mjs';
import { freePort, freshDatabase, ServerProcess, serverCli } from './server.mjs';

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
// Enrollment is bound by the server (each is an enrollment and a first full snapshot stored).
const rampTimeoutMs = 60_000 + N * 100;
const restartTimeoutMs = 120_000;
const report = new Report();
const loopDelay = monitorEventLoopDelay({ resolution: 20 });

let server = null;
let db = null;
let fleet = null;
async function teardown() {
  fleet?.stop();
  await server?.stop('SIGTERM').catch(() => undefined);
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

async function main() {
  log(`collecting fixture facts; ${N} agents, change rate ${args.changeRate}, interval ${args.intervalMs / 1000}s, ${args.database}`);
  const fixtures = loadFixtures(repo);
  db = await freshDatabase(args.database, repo);
  const token = serverCli(repo, db.env, ['token', 'create', '--name', 'fleet', '--max-uses', String(N + 10), '--expires', '1d']);
  const apiKey = serverCli(repo, db.env, ['apikey', 'create', '--name', 'fleet-bench', '--role', 'admin']);
  // Profiles are large: kept in the temp dir, not under bench/results (which is versioned).
  const profDir = path.join(tmpdir(), `plumbline-fleet-prof-${Date.now()}`);
  if (args.cpuProf) mkdirSync(profDir, { recursive: true });
  server = new ServerProcess({
    repo,
    env: { ...runtime.env, ...db.env, LOG_LEVEL: args.logLevel },
    port: await freePort(),
    // Outside the database directory, so it outlives the run for a post-mortem.
    logFile: path.join(tmpdir(), `plumbline-fleet-${process.pid}.log`),
    // Run as production runs it (apps/server/runtime.json), unless told otherwise.
    nodeArgs: [
      ...(args.serverNodeOptions ?? runtime.nodeOptions).split(/\s+/).filter(Boolean),
      ...(args.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []),
    ],
  });
  const startup = await server.start();
  server.phase('ramp');
  log(`server log: ${server.logFile}`);
  log(`server up in ${startup.toFixed(1)}s at ${server.url} (pid ${server.pid})`);
  const rss = [];
  const sampler = setInterval(() => {
    const s = server.sample();
    if (s) rss.push(s.rssMb);
  }, 1000);
  loopDelay.enable();
  const benchCpu0 = process.cpuUsage();

  fleet = new Fleet({
    n: N,
    url: `ws://127.0.0.1:${server.port}/agent/v1/ws`,
    token,
    intervalMs: args.intervalMs,
    changeRate: args.changeRate,
    fixtures,
    WebSocket,
    seed: args.seed,
  });
  const stats = fleet.stats;
  let live = await liveClient(WebSocket, server.url, apiKey, (e, t) => stats.liveEvent(e, t));

  // 1. Ramp: every agent enrolls and has its first snapshot stored.
  log(`enrolling ${N} agents from ${fleet.addresses.length} source addresses (${fleet.addresses[0]}...)`);
  let t = performance.now();
  const enrolled = await fleet.enroll(args.rampConcurrency, rampTimeoutMs, (n) => log(`${n} enrolled`));
  const rampS = (performance.now() - t) / 1000;
  log(`${enrolled}/${N} enrolled in ${rampS.toFixed(1)}s`);
  const kb = Math.round(JSON.stringify(fleet.agents[0].facts).length / 1024);
  const evaluating = await hasEndpoint(server.url, apiKey, '/api/v1/summary');
  const evalNote = evaluating
    ? 'rules evaluated on ingest'
    : 'this server build does not evaluate rules on ingest yet (no /api/v1/summary)';
  report.add('fleet_snapshots_per_second', stats.stored / rampS, 'snapshots/s', '>= 500', {
    note: `first full snapshots (~${kb} KB) stored during enrollment, ${args.rampConcurrency} agents at a time (each also an enrollment transaction): ${enrolled}/${N} in ${rampS.toFixed(1)} s on ${args.database}; ${evalNote}`,
  });

  // 2. Burst: many full snapshots at once, the ingest path at saturation.
  const burst = fleet.agents.filter((a) => a.settled).slice(0, args.burst);
  if (burst.length) {
    server.phase('burst');
    const stored0 = stats.stored;
    t = performance.now();
    for (const a of burst) a.snapshotWithChange();
    const deadline = t + 120_000;
    while (performance.now() < deadline && burst.some((a) => !a.settled)) await sleep(50);
    const s = (performance.now() - t) / 1000;
    report.add('fleet_burst_snapshots_per_second', (stats.stored - stored0) / s, 'snapshots/s', '>= 500', {
      note: `${stats.stored - stored0}/${burst.length} full snapshots (~${kb} KB, each with one change) sent at once by enrolled agents, stored in ${s.toFixed(1)} s on ${args.database}; ${evalNote}`,
    });
  }

  // 3. Steady phase: digests, changes at the change rate, a live client and API users.
  log(`steady phase for ${args.durationMs / 1000}s`);
  server.phase('steady');
  fleet.trackLatency(true);
  fleet.startTicking();
  const cpu0 = server.sample();
  const acks0 = stats.acks;
  const stored0 = stats.stored;
  let minConnected = stats.connectedNow;
  t = performance.now();
  const end = t + args.durationMs;
  const until = () => performance.now() >= end;
  const watchConnections = setInterval(() => (minConnected = Math.min(minConnected, stats.connectedNow)), 250);
  const hostsPage = () => `/api/v1/hosts?limit=50&offset=${Math.floor(Math.random() * Math.max(1, N - 50))}`;
  const hasSummary = await hasEndpoint(server.url, apiKey, '/api/v1/summary');
  const [hostsApi, summaryApi] = await Promise.all([
    pollApi(server.url, apiKey, hostsPage, { until }),
    hasSummary ? pollApi(server.url, apiKey, () => '/api/v1/summary', { until, pauseMs: 200 }) : null,
    sleep(args.durationMs),
  ]);
  clearInterval(watchConnections);
  const steadyS = (performance.now() - t) / 1000;
  const cpu1 = server.sample();
  fleet.trackLatency(false);
  // Changes sent in the last moments still have their events on the way.
  for (let i = 0; i < 50 && stats.unmatched; i++) await sleep(100);
  const connectedEnd = stats.connectedNow;

  report.add('fleet_connections', connectedEnd, 'agents', `>= ${N}`, {
    note: `agents connected and welcomed at the end of the steady phase; lowest during it ${minConnected}, peak ${stats.connectedPeak}`,
  });
  report.add('fleet_steady_acked_per_second', (stats.acks - acks0) / steadyS, 'messages/s', null, {
    note: `digests + deltas acknowledged (offered: ${N} agents / ${args.intervalMs / 1000} s); ${stats.stored - stored0} deltas stored`,
  });
  const lat = stats.latencies;
  const latNote = `${lat.length} changes matched to their host.updated event; ${stats.unmatched} unmatched; timed in the bench process (includes its own event-loop delay)`;
  report.add('fleet_change_to_live_p50_ms', percentile(lat, 50) ?? -1, 'ms', null, { ok: lat.length > 0, note: latNote });
  report.add(
    'fleet_change_to_live_p99_ms',
    percentile(lat, 99) ?? -1,
    'ms',
    '<= 2000',
    lat.length ? { note: latNote } : { ok: false, note: latNote },
  );
  const hostsNote = `${hostsApi.times.length} x GET /api/v1/hosts?limit=50&offset=random at ${N} hosts during the steady phase; ${hostsApi.failed} failed`;
  report.add(
    'fleet_api_hosts_p95_ms',
    percentile(hostsApi.times, 95) ?? -1,
    'ms',
    '<= 200',
    hostsApi.times.length ? { note: hostsNote } : { ok: false, note: hostsNote },
  );
  if (summaryApi?.times.length) {
    report.add('fleet_api_summary_p95_ms', percentile(summaryApi.times, 95), 'ms', '<= 200', {
      note: `${summaryApi.times.length} x GET /api/v1/summary; ${summaryApi.failed} failed`,
    });
  } else {
    report.add('fleet_api_summary_p95_ms', -1, 'ms', '<= 200', {
      ok: false,
      note: hasSummary ? 'every /api/v1/summary request failed' : 'GET /api/v1/summary does not exist in this server build yet',
    });
  }
  if (cpu0 && cpu1) {
    report.add('fleet_server_cpu_steady', (100 * (cpu1.cpuSeconds - cpu0.cpuSeconds)) / steadyS, '% of one core', null, {
      note: `server process user+system CPU during the steady phase (${cpu1.cpuSeconds.toFixed(1)} s in total so far)`,
    });
  }

  // 4. Restart: SIGTERM, start again on the same database, every agent back with nothing lost.
  if (args.restart) {
    live.terminate();
    log('restarting the server (SIGTERM)');
    t = performance.now();
    server.phase('shutdown');
    await server.stop('SIGTERM');
    server.phase('restart');
    const downS = (performance.now() - t) / 1000;
    const upS = await server.start();
    const tUp = performance.now();
    live = await liveClient(WebSocket, server.url, apiKey, () => undefined);
    const back = await fleet.waitSettled(restartTimeoutMs);
    const recoveryS = (performance.now() - tUp) / 1000;
    log(`${back}/${N} agents back ${recoveryS.toFixed(1)}s after the server answered again`);
    report.add('fleet_restart_recovery_seconds', recoveryS, 's', '<= 60', {
      ok: back === N && recoveryS <= 60,
      note: `${back}/${N} agents reconnected with every spooled message acknowledged; shutdown took ${downS.toFixed(1)} s, startup ${upS.toFixed(1)} s; agents back off 1 s doubling, full jitter (target is the bench's own: DESIGN sets none)`,
    });
    report.add('fleet_restart_lost_messages', stats.lostMessages, 'messages', '<= 0', {
      note: `acknowledged before the restart but not held by the server after it (${stats.lostAgents.size} agents); ${N - back} agents not back (their spools are still held, nothing dropped)`,
    });
  }

  // 5. What the server stored: change rows of a sample of hosts against what the agents made.
  server.phase('check');
  for (const a of fleet.agents) clearTimeout(a.ticking);
  await fleet.waitSettled(30_000);
  // Only agents with nothing in flight: an unacknowledged change is in the spool, not lost.
  const sample = fleet.agents
    .filter((a) => a.settled)
    .sort((a, b) => b.changes - a.changes)
    .slice(0, 40);
  let mismatched = 0;
  let rows = 0;
  for (const a of sample) {
    const res = await fetch(`${server.url}/api/v1/hosts/${a.hostId}/changes?limit=1`, { headers: { Authorization: `Bearer ${apiKey}` } });
    const total = res.ok ? (await res.json()).total : -1;
    rows += Math.max(0, total);
    if (total !== a.expectedRows) mismatched++;
  }
  report.add('fleet_change_rows_mismatched', mismatched, 'hosts', '<= 0', {
    note: `${sample.length} most-changed settled hosts (${fleet.settledCount}/${N} settled): stored change rows (${rows}) against the changes their agents made; a mismatch means a change lost or stored twice`,
  });

  clearInterval(sampler);
  const last = server.sample();
  report.add('fleet_server_rss_peak_mb', last?.peakRssMb ?? -1, 'MB', '<= 400', {
    note: `VmHWM of the server process(es); median RSS ${(percentile(rss, 50) ?? 0).toFixed(0)} MB; peak by phase (MB): ${server.phasePeaks()}`,
  });
  const benchCpu = process.cpuUsage(benchCpu0);
  report.add('fleet_bench_loop_delay_p99_ms', loopDelay.percentile(99) / 1e6, 'ms', null, {
    note: `the simulator's own event-loop delay (latency figures include it); simulator CPU ${((benchCpu.user + benchCpu.system) / 1e6).toFixed(1)} s`,
  });
  const other = [...stats.counters].map(([k, v]) => `${k}=${v}`).join(' ');
  if (other) log(`counters: ${other}`);
  live.terminate();
  await teardown();
  console.log(`\n${report.table()}`);
  log(`figures kept in ${path.relative(repo, report.save(repo, { agents: N, changeRate: args.changeRate, database: args.database }))}`);
  if (args.cpuProf) for (const f of readdirSync(profDir).sort()) log(`\n${summarize(path.join(profDir, f))}`);
  if (args.cpuProf) log(`profiles kept in ${profDir}`);
}
