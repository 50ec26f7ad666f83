// Ingest benchmark: full snapshots (~26 KB, the fixture hosts' real facts with per-host
// variation) evaluated against the default profile's rules and stored, through the server's
// own code path (frame parsing with zod, IngestService.handle with its transaction, the live
// bus on PostgreSQL), as many at once as the agent gateway allows (pool size - 2). No HTTP or
// WebSocket in between: this measures ingest, not the network stack.
// Prints {"name","value","unit","target","ok"} lines. Needs PostgreSQL (PLUMBLINE_BENCH_PG_URL or
// PLUMBLINE_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432; a throwaway database,
// dropped afterwards) and the built agent (`pnpm build`) to collect the fixture facts.
// HOSTS=... (default 400) and SNAPSHOTS=... (default 4000) change the size (as many deltas follow, then
// DIGESTS=... (default 10) digests per host; last, a policy change judges every host again and a
// waiver on their group rescores them). CPU_PROF=1 (or =deltas, =policy) writes a CPU profile of
// the snapshot (or delta, or policy change) phase to the temp dir and prints where the time went.
// It runs under the server's production V8 settings (below). The frames it prepares (115 MB) are
// Buffers, as the WebSocket library hands them to the gateway: outside the V8 heap, where as
// strings they took a third of the server's 320 MB and V8 collected all of it over and over
// near the cap.
import { spawnSync } from 'node:child_process';
import { Session } from 'node:inspector/promises';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { clearInterval, setInterval } from 'node:timers';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = path.join(here, '..');
const repo = path.join(server, '..', '..');

// The server's production V8 settings (apps/server/runtime.json, as `plumbline serve` and
// bench:fleet run): the young generation's size alone moves this figure by 15%.
// PLUMBLINE_BENCH_NODE_DEFAULTS=1 measures with Node's defaults instead.
if (!process.env.PLUMBLINE_BENCH_UNDER_RUNTIME && process.env.PLUMBLINE_BENCH_NODE_DEFAULTS !== '1') {
  const runtime = JSON.parse(readFileSync(path.join(server, 'runtime.json'), 'utf8'));
  const r = spawnSync(process.execPath, [...runtime.nodeOptions.split(/\s+/).filter(Boolean), fileURLToPath(import.meta.url)], {
    stdio: 'inherit',
    env: { ...process.env, ...runtime.env, PLUMBLINE_BENCH_UNDER_RUNTIME: '1' },
  });
  process.exit(r.status ?? 1);
}
const require = createRequire(path.join(server, 'package.json'));
const pg = require('pg');

const HOSTS = Number(process.env.HOSTS ?? 400);
const SNAPSHOTS = Number(process.env.SNAPSHOTS ?? 4000);
const PG = process.env.PLUMBLINE_BENCH_PG_URL ?? process.env.PLUMBLINE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const TARGET = 500;
const DELTA_TARGET = 1000;
/** Digests each host sends after its deltas (DIGESTS=...), as an unchanged agent does every interval. */
const DIGESTS_PER_HOST = Number(process.env.DIGESTS ?? 10);
// The protocol version of the frames: 2, as the current agent speaks; PROTOCOL=1 measures
// agents of the previous release (their deltas are checked against every stored value).
const VERSION = Number(process.env.PROTOCOL ?? 2);

/** User + system CPU seconds of a process, or of one of its threads (0 when it is gone or not visible). */
function procCpuSeconds(pid, thread) {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
/**
 * The CPU seconds the PostgreSQL backends of a database have used since this was called. The
 * pool closes idle connections and opens new ones, so the backends are listed again every
 * 200 ms: one that ends keeps its last reading, one that starts counts from zero. `local` is
 * false when no backend is visible in /proc (the server is on another machine).
 */
async function backendCpu(dbName) {
  // Its own connection: a query of the bench's may be running when the timer fires.
  const client = new pg.Client({ connectionString: `${PG}/postgres`, connectionTimeoutMillis: 5000 });
  await client.connect();
  const first = new Map();
  const last = new Map();
  let started = false;
  let reading = Promise.resolve();
  const read = async () => {
    const { rows } = await client.query('SELECT pid FROM pg_stat_activity WHERE datname = $1', [dbName]);
    for (const { pid } of rows) {
      const seconds = procCpuSeconds(pid);
      if (!seconds) continue;
      if (!first.has(pid)) first.set(pid, started ? 0 : seconds);
      last.set(pid, seconds);
    }
  };
  // One reading at a time, in order.
  const sample = () => (reading = reading.then(read, read));
  await sample();
  started = true;
  const timer = setInterval(() => void sample().catch(() => undefined), 200);
  return {
    local: first.size > 0,
    async seconds() {
      await sample();
      let sum = 0;
      for (const [pid, seconds] of last) sum += seconds - first.get(pid);
      return sum;
    },
    async stop() {
      clearInterval(timer);
      await reading.catch(() => undefined);
      await client.end();
    },
  };
}
const figure = (name, value, unit, target, ok, note) =>
  console.log(JSON.stringify({ name, value: Math.round(value * 100) / 100, unit, target, ok, ...(note && { note }) }));
const log = (msg) => process.stderr.write(`[ingest] ${msg}\n`);

if (!existsSync(path.join(repo, 'apps/agent/dist/cli.js'))) {
  console.error('ingest bench: build first (pnpm build): the fixture facts are collected by the built agent');
  process.exit(2);
}

const admin = new pg.Client({ connectionString: `${PG}/postgres`, connectionTimeoutMillis: 5000 });
try {
  await admin.connect();
} catch (err) {
  figure(
    'ingest_snapshots_per_second',
    -1,
    'snapshots/s',
    `>= ${TARGET}`,
    false,
    `PostgreSQL unreachable at ${PG} (${err.message}): not measured`,
  );
  process.exit(0);
}

// The server's own modules, bundled as `pnpm build` bundles them (same esbuild settings as
// apps/server/build.mjs), so the figures are those of the code that runs in production.
// PLUMBLINE_BENCH_SERVER_SRC=<dir under apps/server> bundles another copy of src (before/after).
const { build } = require('esbuild');
const srcDir = process.env.PLUMBLINE_BENCH_SERVER_SRC ?? 'src';
const outDir = path.join(server, 'node_modules', '.cache', 'plumbline-bench', `ingest-${process.pid}`);
const entry = ['app', 'config', 'db/open', 'live/bus', 'access/credentials', 'enrollment/agent-auth', 'ingest/limits'].map(
  (m) => `export * from './${m}';`,
);
entry.push("export * from '@plumbline/protocol/messages';", "export * from '@plumbline/protocol/digest';");
// The API route files are entry points of their own at their source paths, as @fastify/autoload
// finds them on disk at start (as apps/server/build.mjs lays out dist/).
const entryFile = path.join(server, srcDir, `bench-entry-${process.pid}.ts`);
writeFileSync(entryFile, entry.join('\n'));
const routeFiles = readdirSync(path.join(server, srcDir, 'routes/api'), { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
  .map((e) => path.join(e.parentPath, e.name));
try {
  await build({
    entryPoints: [entryFile, ...routeFiles],
    outdir: outDir,
    outbase: path.join(server, srcDir),
    bundle: true,
    splitting: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    plugins: [
      {
        name: 'externals',
        setup: (b) =>
          b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@plumbline/') ? undefined : { path: a.path, external: true })),
      },
    ],
  });
} finally {
  rmSync(entryFile, { force: true });
}
const {
  buildApp,
  createApiKey,
  loadConfig,
  openDatabase,
  postgresBus,
  createEnrollmentToken,
  authenticateAgent,
  Semaphore,
  ingestConcurrency,
  parseAgentMessage,
  setDigest,
} = await import(path.join(outDir, `bench-entry-${process.pid}.js`));
const { loadFixtures, agentFacts, changeFacts, rng } = await import('../../../bench/fleet/facts.mjs');
const pino = require('pino');

const dbName = `plumbline_bench_ingest_${process.pid}`;
await admin.query(`CREATE DATABASE ${dbName}`);
let app;
let db;
let bus;
try {
  const config = {
    ...loadConfig({ ...process.env, DATABASE_URL: `${PG}/${dbName}`, PLUMBLINE_DATA_DIR: path.join(tmpdir(), dbName), LOG_LEVEL: 'warn' }),
    port: 0,
  };
  const silent = pino({ level: 'warn' });
  db = await openDatabase({ ...config, log: silent, poolSize: config.dbPoolSize });
  bus = await postgresBus(db.pool, silent);
  app = await buildApp({ config, db, bus, log: silent });
  await app.ready();
  // The gateway's own bound on messages in hand (the code before group commit: one per pooled connection).
  const concurrency = ingestConcurrency ? ingestConcurrency(db.kind, config.dbPoolSize) : Math.max(1, config.dbPoolSize - 2);
  const slots = new Semaphore(concurrency);
  const rules = (await app.policy.selectionFor(null)).rules.length;

  const fixtures = loadFixtures(repo);
  const random = rng(7);
  // The hosts enroll into a group, whose policy the last phase changes.
  const token = await createEnrollmentToken(db, { name: 'ingest-bench', maxUses: String(HOSTS + 1), expires: '1d', group: 'bench' });
  const enrollment = await authenticateAgent(db.prisma, token);
  const hosts = [];
  for (let i = 0; i < HOSTS; i++) {
    const fx = fixtures[i % fixtures.length];
    const facts = agentFacts(fx, i, random);
    const hello = await app.ingest.hello(enrollment, {
      agentVersion: 'bench',
      hostname: facts.host.hostname,
      machineId: facts.host.machine_id,
      intervalSeconds: 30,
    });
    hosts.push({ id: hello.hostId, facts, errors: fx.errors, seq: 0, frames: [], n: i });
  }
  // A frame as the gateway receives it: its bytes.
  const json = (message) => Buffer.from(JSON.stringify(message));
  const frame = (h, facts) => {
    h.seq++;
    return json({
      version: VERSION,
      type: 'snapshot',
      seq: h.seq,
      payload: { observedAt: new Date().toISOString(), digest: setDigest(VERSION, facts, h.errors), facts, errors: h.errors },
    });
  };
  // Frames are made before the clock starts: building them is the agent's work, not the server's.
  for (const h of hosts) h.frames.push(frame(h, h.facts));
  for (let k = 0; k < SNAPSHOTS; k++) {
    const h = hosts[k % HOSTS];
    const next = changeFacts(h.facts, random, h.n + k).facts;
    h.facts = next;
    h.frames.push(frame(h, next));
  }
  // Then what a connected agent sends when something changed: a delta with the changed fact.
  for (let k = 0; k < SNAPSHOTS; k++) {
    const h = hosts[k % HOSTS];
    const change = changeFacts(h.facts, random, h.n + k + 1);
    h.seq++;
    const payload = {
      observedAt: new Date().toISOString(),
      baseDigest: setDigest(VERSION, h.facts, h.errors),
      digest: setDigest(VERSION, change.facts, h.errors),
      set: { [change.fact]: change.facts[change.fact] },
      unset: [],
      errors: h.errors,
    };
    h.facts = change.facts;
    (h.deltas ??= []).push(json({ version: VERSION, type: 'delta', seq: h.seq, payload }));
  }
  // And what most of the traffic is: a digest per agent per interval, nothing changed.
  for (let k = 0; k < DIGESTS_PER_HOST; k++) {
    for (const h of hosts) {
      h.seq++;
      const payload = { observedAt: new Date().toISOString(), digest: setDigest(VERSION, h.facts, h.errors) };
      (h.digests ??= []).push(json({ version: VERSION, type: 'digest', seq: h.seq, payload }));
    }
  }
  // The facts the frames were made from are the agents' side: the server holds none of them.
  for (const h of hosts) h.facts = null;
  const kb = Math.round(hosts[0].frames[0].length / 1024);
  const deltaKb = hosts[0].deltas.reduce((sum, d) => sum + d.length, 0) / hosts[0].deltas.length / 1024;

  // Each host's frames go in order, one at a time (as on its socket); hosts run concurrently,
  // through the gateway's own bound on concurrent ingests.
  const counts = { ack: 0, resync: 0 };
  const run = async (pick, limit) => {
    const latencies = [];
    const t0 = performance.now();
    await Promise.all(
      hosts.map(async (h) => {
        for (const bytes of pick(h)) {
          if (latencies.length >= limit) return;
          await slots.run(async () => {
            const t = performance.now();
            const parsed = parseAgentMessage(bytes);
            if (!parsed.success) throw new Error(parsed.error);
            const result = await app.ingest.handle(h.id, parsed.data);
            latencies.push(performance.now() - t);
            counts[result.type]++;
          });
        }
      }),
    );
    return { seconds: (performance.now() - t0) / 1000, latencies: latencies.sort((a, b) => a - b) };
  };
  const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? -1;

  log(`${HOSTS} hosts enrolled; ${rules} rules per evaluation; first snapshots`);
  const first = await run((h) => h.frames.slice(0, 1), Infinity);
  log(`first snapshots: ${(HOSTS / first.seconds).toFixed(1)}/s; now ${SNAPSHOTS} snapshots with changes`);
  // CPU_PROF=1 profiles the snapshot phase, CPU_PROF=deltas the delta phase.
  const profiling = async (phase) => {
    if ((process.env.ALLOC_PROF === '1' ? 'snapshots' : process.env.ALLOC_PROF) === phase) return allocationProfile(phase);
    if ((process.env.CPU_PROF === '1' ? 'snapshots' : process.env.CPU_PROF) !== phase) return async () => {};
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return async () => {
      const { profile } = await session.post('Profiler.stop');
      const file = path.join(tmpdir(), `plumbline-ingest-${phase}-${process.pid}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      const { summarize } = await import('../../../bench/fleet/profile.mjs');
      log(`profile of the ${phase}: ${file}\n${summarize(file)}`);
    };
  };
  const stopSnapshotProfile = await profiling('snapshots');
  // CPU, not only wall time: on a shared 2-core machine the wall figure moves with everyone
  // else's load, while CPU per snapshot (this process + its PostgreSQL backends) does not.
  const backends = await backendCpu(dbName);
  // The main thread's own CPU (its thread id is the process id): the process's also counts
  // V8's garbage collection helpers and libuv's pool, which run on the other core.
  const mainThreadSeconds = () => procCpuSeconds(process.pid, process.pid);
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadSeconds();
  const pg0 = await backends.seconds();
  const steady = await run((h) => h.frames.slice(1), SNAPSHOTS);
  const cpu = process.cpuUsage(cpu0);
  const mainSeconds = mainThreadSeconds() - main0;
  const pgSeconds = (await backends.seconds()) - pg0;
  await stopSnapshotProfile();
  const cpuD0 = process.cpuUsage();
  const mainD0 = mainThreadSeconds();
  const pgD0 = await backends.seconds();
  const stopDeltaProfile = await profiling('deltas');
  // With fewer SNAPSHOTS than HOSTS, only the first hosts have deltas.
  const deltas = await run((h) => h.deltas ?? [], SNAPSHOTS);
  await stopDeltaProfile();
  const cpuD = process.cpuUsage(cpuD0);
  const mainDSeconds = mainThreadSeconds() - mainD0;
  const pgDSeconds = (await backends.seconds()) - pgD0;
  const cpuG0 = process.cpuUsage();
  const pgG0 = await backends.seconds();
  const digests = await run((h) => h.digests, Infinity);
  const cpuG = process.cpuUsage(cpuG0);
  const pgGSeconds = (await backends.seconds()) - pgG0;
  // Last, a policy change: the group moves to a profile with more rules, and the server
  // judges every host of it again from its stored facts (in the background, as the API does).
  log('policy change: every host judged again');
  const adminKey = await createApiKey(db, 'ingest-bench', 'admin');
  const stopPolicyProfile = await profiling('policy');
  const cpuR0 = process.cpuUsage();
  const pgR0 = await backends.seconds();
  const changedAt = new Date();
  const r0 = performance.now();
  const put = await app.inject({
    method: 'PUT',
    url: '/api/v1/groups/bench',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: { profileId: 'cis-l2-server' },
  });
  if (put.statusCode !== 200) throw new Error(`policy change: ${put.statusCode} ${put.body}`);
  const judged = async () => db.prisma.host.count({ where: { evaluatedAt: { gte: changedAt } } });
  while ((await judged()) < HOSTS) await new Promise((r) => setTimeout(r, 20));
  const reSeconds = (performance.now() - r0) / 1000;
  const cpuR = process.cpuUsage(cpuR0);
  const pgRSeconds = (await backends.seconds()) - pgR0;
  await stopPolicyProfile();
  const rulesAfter = (await app.policy.selectionFor('bench')).rules.length;
  // Then a waiver on the group: every host's score is computed again from its stored verdicts
  // (in the request, as the API answers once the scores are stored).
  const cpuW0 = process.cpuUsage();
  const pgW0 = await backends.seconds();
  const w0 = performance.now();
  const waived = await app.inject({
    method: 'POST',
    url: '/api/v1/waivers',
    headers: { authorization: `Bearer ${adminKey}` },
    payload: {
      ruleId: 'plb-ssh-permit-root-login',
      scope: { type: 'group', id: 'bench' },
      justification: 'ingest bench: a waiver over the whole group',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
  });
  if (waived.statusCode !== 201) throw new Error(`waiver: ${waived.statusCode} ${waived.body}`);
  const waiverSeconds = (performance.now() - w0) / 1000;
  const cpuW = process.cpuUsage(cpuW0);
  const pgWSeconds = (await backends.seconds()) - pgW0;
  await backends.stop();
  const rate = steady.latencies.length / steady.seconds;
  const note = `${steady.latencies.length} full snapshots (~${kb} KB, each with one change) on ${HOSTS} hosts, ${rules} rules evaluated each, ${concurrency} at a time (the gateway's bound), PostgreSQL; ${counts.resync} resyncs; protocol version ${VERSION}; ${process.env.PLUMBLINE_BENCH_UNDER_RUNTIME ? 'production V8 settings (runtime.json)' : "Node's default V8 settings"}`;
  figure('ingest_snapshots_per_second', rate, 'snapshots/s', `>= ${TARGET}`, rate >= TARGET && counts.resync === 0, note);
  figure(
    'ingest_snapshot_p50_ms',
    pct(steady.latencies, 50),
    'ms',
    null,
    true,
    'per snapshot: parse + evaluate + store, once an ingest slot is free',
  );
  figure('ingest_snapshot_p99_ms', pct(steady.latencies, 99), 'ms', null, true);
  const n = steady.latencies.length;
  const nodeMs = (cpu.user + cpu.system) / 1000 / n;
  const pgMs = (pgSeconds * 1000) / n;
  const mainMs = (mainSeconds * 1000) / n;
  // Node runs ingest on one thread; PostgreSQL and the collector's helpers spread over the
  // cores: the tighter bound wins.
  const bound = Math.min(1000 / mainMs, (2 * 1000) / (nodeMs + pgMs));
  figure('ingest_server_cpu_ms_per_snapshot', nodeMs, 'ms', null, true, 'CPU of the server code (this process) per snapshot');
  figure(
    'ingest_main_thread_cpu_ms_per_snapshot',
    mainMs,
    'ms',
    null,
    mainMs > 0,
    'of which on the main thread (the rest: the collector and libuv)',
  );
  figure(
    'ingest_postgres_cpu_ms_per_snapshot',
    pgMs,
    'ms',
    null,
    backends.local,
    backends.local ? `CPU of the PostgreSQL backends per snapshot (/proc; local server only)` : 'PostgreSQL is not local: not measured',
  );
  figure(
    'ingest_cpu_bound_snapshots_per_second',
    bound,
    'snapshots/s',
    `>= ${TARGET}`,
    bound >= TARGET,
    'what 2 otherwise idle cores allow at this CPU cost: min(1 core / main-thread CPU, 2 cores / (server + PostgreSQL CPU))',
  );
  const dn = deltas.latencies.length;
  const deltaRate = dn / deltas.seconds;
  figure(
    'ingest_deltas_per_second',
    deltaRate,
    'deltas/s',
    `>= ${DELTA_TARGET}`,
    deltaRate >= DELTA_TARGET && counts.resync === 0,
    `${dn} deltas (one changed fact each, ~${deltaKb.toFixed(1)} KB) on the same hosts: what a connected agent sends on a change, protocol version ${VERSION}`,
  );
  figure('ingest_delta_server_cpu_ms', (cpuD.user + cpuD.system) / 1000 / dn, 'ms', null, true, 'CPU of the server code per delta');
  figure('ingest_delta_main_thread_cpu_ms', (mainDSeconds * 1000) / dn, 'ms', null, mainDSeconds > 0, 'of which on the main thread');
  figure('ingest_delta_postgres_cpu_ms', (pgDSeconds * 1000) / dn, 'ms', null, backends.local, 'CPU of the PostgreSQL backends per delta');
  const gn = digests.latencies.length;
  figure(
    'ingest_digests_per_second',
    gn / digests.seconds,
    'digests/s',
    null,
    counts.resync === 0,
    `${gn} digests (${DIGESTS_PER_HOST} per host, nothing changed): an agent's message every interval; ${((cpuG.user + cpuG.system) / 1000 / gn).toFixed(3)} ms server CPU and ${((pgGSeconds * 1000) / gn).toFixed(3)} ms PostgreSQL CPU each`,
  );
  figure(
    'ingest_first_snapshots_per_second',
    HOSTS / first.seconds,
    'snapshots/s',
    null,
    true,
    `a host's first snapshot: every verdict inserted (${HOSTS} hosts)`,
  );
  figure(
    'policy_reevaluation_hosts_per_second',
    HOSTS / reSeconds,
    'hosts/s',
    null,
    true,
    `a group policy change (cis-l1-server, ${rules} rules, to cis-l2-server, ${rulesAfter}): each of its ${HOSTS} hosts judged again from its stored facts, ${HOSTS} in ${reSeconds.toFixed(1)} s; ${((cpuR.user + cpuR.system) / 1000 / HOSTS).toFixed(2)} ms server CPU and ${((pgRSeconds * 1000) / HOSTS).toFixed(2)} ms PostgreSQL CPU per host`,
  );
  figure(
    'waiver_rescore_hosts_per_second',
    HOSTS / waiverSeconds,
    'hosts/s',
    null,
    true,
    `a waiver over the group: each of its ${HOSTS} hosts rescored from its stored verdicts before the API answers, in ${waiverSeconds.toFixed(2)} s; ${((cpuW.user + cpuW.system) / 1000 / HOSTS).toFixed(2)} ms server CPU and ${((pgWSeconds * 1000) / HOSTS).toFixed(2)} ms PostgreSQL CPU per host`,
  );
} finally {
  await app?.close();
  await bus?.close();
  await db?.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
  rmSync(outDir, { recursive: true, force: true });
}

/**
 * ALLOC_PROF=1 (or =deltas): samples what the phase allocates, the garbage collected since
 * included (every 32 KB), and prints the functions that allocated most. Garbage collection is
 * about a third of the server's time here; this says where its work comes from.
 */
async function allocationProfile(phase) {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 32 * 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const file = path.join(tmpdir(), `plumbline-ingest-${phase}-${process.pid}.heapprofile`);
    writeFileSync(file, JSON.stringify(profile));
    const bySite = new Map();
    let total = 0;
    const walk = (node) => {
      const f = node.callFrame;
      const site = `${f.functionName || '(anonymous)'} ${path.basename(f.url || '')}:${f.lineNumber + 1}`;
      bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      total += node.selfSize;
      for (const child of node.children) walk(child);
    };
    walk(profile.head);
    const top = [...bySite].sort((a, b) => b[1] - a[1]).slice(0, 25);
    const lines = top.map(
      ([site, bytes]) => `${((100 * bytes) / total).toFixed(1).padStart(6)}%  ${(bytes / 2 ** 20).toFixed(0).padStart(6)} MB  ${site}`,
    );
    log(`allocations of the ${phase}: ${file} (${(total / 2 ** 20).toFixed(0)} MB sampled)\n${lines.join('\n')}`);
    await session.post('HeapProfiler.disable');
    session.disconnect();
  };
}
