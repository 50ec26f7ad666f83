// Agent footprint on this machine: the built agent collects the live host every 2 s and
// streams to a real server through a byte-counting TCP relay. Prints one JSON line per
// figure: RSS steady and peak, CPU and wall time per collection, bytes per unchanged cycle.
// The agent runs as its service unit starts it: the unit's environment (runtime-env.json)
// and `run --config FILE`. `--packaged` measures instead the executable of the tarball `pnpm
// build:agent` writes, with its own Node runtime (see packaged.mjs; `--executable FILE` takes
// any other); its figures are named agent_executable_*. Its collections run in a helper process: CPU counts the helper
// (and every command either runs), and the peak adds the helper's own memory (below).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractPackaged } from './packaged.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const serverCli = path.join(repo, 'apps/server/dist/cli.js');
const agentCli = path.join(repo, 'apps/agent/dist/cli.js');
const tmp = mkdtempSync(path.join(tmpdir(), 'plumbline-bench-agent-'));
const executable = packagedExecutable(process.argv.slice(2));
const prefix = executable ? 'agent_executable' : 'agent';
const env = { ...process.env, PLUMBLINE_DATA_DIR: path.join(tmp, 'data'), LOG_LEVEL: 'warn' };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const freePort = () =>
  new Promise((r) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => r(p));
    });
  });
// Targets as the other benches print them ("<= 50"): the limit of docs/performance.md.
const figure = (name, value, unit, limit) =>
  console.log(JSON.stringify({ name, value: Math.round(value * 10) / 10, unit, target: `<= ${limit}`, ok: value <= limit }));

/** The executable to measure, or null for dist/cli.js on this machine's Node. */
function packagedExecutable(args) {
  const given = args.indexOf('--executable');
  if (given >= 0) return path.resolve(args[given + 1] ?? '');
  return args.includes('--packaged') ? extractPackaged(repo, tmp) : null;
}

const children = [];
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(tmp, { recursive: true, force: true });
};
process.on('exit', cleanup);

const token = execFileSync(process.execPath, [serverCli, 'token', 'create', '--name', 'bench'], { env }).toString().trim();
const serverPort = await freePort();
const server = spawn(process.execPath, [serverCli, 'serve'], { env: { ...env, PORT: String(serverPort) }, stdio: 'ignore' });
children.push(server);
for (let i = 0; i < 120; i++) {
  if ((await fetch(`http://127.0.0.1:${serverPort}/readyz`).catch(() => null))?.ok) break;
  await sleep(250);
}

// A relay that counts what crosses the wire in both directions.
let bytes = 0;
const relay = net.createServer((client) => {
  const upstream = net.connect(serverPort, '127.0.0.1');
  client.on('data', (d) => {
    bytes += d.length;
    upstream.write(d);
  });
  upstream.on('data', (d) => {
    bytes += d.length;
    client.write(d);
  });
  client.on('close', () => upstream.destroy());
  upstream.on('close', () => client.destroy());
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
const relayPort = await freePort();
await new Promise((r) => relay.listen(relayPort, '127.0.0.1', r));

const intervalMs = 2000;
// The settings file `plumbline-agent install` writes, read as the unit reads it.
const config = path.join(tmp, 'agent.yaml');
writeFileSync(
  config,
  `server: http://127.0.0.1:${relayPort}\ntoken: ${token}\nstate_dir: ${path.join(tmp, 'state')}\ninterval: ${intervalMs / 1000}s\n`,
  { mode: 0o600 },
);
const agent = spawn(executable ?? process.execPath, [...(executable ? [] : [agentCli]), 'run', '--config', config], {
  env: {
    ...process.env,
    ...JSON.parse(readFileSync(path.join(repo, 'apps/agent/runtime-env.json'), 'utf8')),
    PLUMBLINE_LOG_LEVEL: 'debug',
  },
  stdio: ['ignore', 'ignore', 'pipe'],
});
children.push(agent);
const cycles = [];
let buffer = '';
agent.stderr.on('data', (d) => {
  buffer += d.toString();
  const lines = buffer.split('\n');
  buffer = lines.pop();
  for (const line of lines) {
    try {
      const entry = JSON.parse(line);
      if (entry.msg === 'message' && process.env.BENCH_TRACE) process.stderr.write(line + '\n');
      if (entry.msg === 'collected') cycles.push({ at: Date.now(), wallMs: entry.wallMs, cpuTicks: cpuTicks(), bytes });
    } catch {
      process.stderr.write(line + '\n');
    }
  }
});

// CPU of the agent and of the commands it ran (systemctl, apt-get...): utime+stime+cutime+cstime.
function cpuTicks() {
  const fields = readFileSync(`/proc/${agent.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return [11, 12, 13, 14].reduce((n, i) => n + Number(fields[i]), 0);
}
const TICK_MS = 1000 / 100;
const rss = [];
const rssFile = []; // of it, pages of files: the runtime's binary, mostly
const read = (file) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return ''; // a helper that has just ended
  }
};
const kb = (text, field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
const status = () => read(`/proc/${agent.pid}/status`);
/** The agent's helper processes: its children that run its own runtime (commands are not counted, as before). */
const helpers = () => {
  const exe = (pid) => {
    try {
      return readlinkSync(`/proc/${pid}/exe`);
    } catch {
      return null;
    }
  };
  const own = exe(agent.pid);
  return read(`/proc/${agent.pid}/task/${agent.pid}/children`)
    .split(' ')
    .filter((pid) => pid && exe(pid) === own);
};
// A helper lives a few hundred milliseconds: its memory is sampled often. What it adds is its
// private memory (pages no other process maps); the Node binary's pages it shares with the
// agent are in the agent's RSS already.
let peakTogether = 0;
let helperPeak = 0;
const samplePeak = () => {
  const own = kb(status(), 'VmRSS');
  const added = helpers().reduce((n, pid) => {
    const r = read(`/proc/${pid}/smaps_rollup`);
    return n + kb(r, 'Private_Clean') + kb(r, 'Private_Dirty');
  }, 0);
  helperPeak = Math.max(helperPeak, added);
  peakTogether = Math.max(peakTogether, own + added);
};
const warmup = 3;
const measured = 10;
for (let tick = 0; cycles.length < warmup + measured + 1; tick++) {
  await sleep(25);
  if (cycles.length > warmup) samplePeak();
  if (cycles.length > warmup && tick % 10 === 0) {
    const now = status();
    rss.push(kb(now, 'VmRSS') / 1024);
    rssFile.push(kb(now, 'RssFile') / 1024);
  }
  if (agent.exitCode !== null) throw new Error(`agent exited with ${agent.exitCode}`);
}
const peak = Math.max(kb(status(), 'VmHWM'), peakTogether) / 1024;
const window = cycles.slice(warmup + 1, warmup + 1 + measured);
const unchangedBytes = (cycles[warmup + measured].bytes - cycles[warmup].bytes) / measured;
rss.sort((a, b) => a - b);
rssFile.sort((a, b) => a - b);
const median = (xs) => xs[Math.floor(xs.length / 2)];

figure(`${prefix}_rss_steady`, median(rss), 'MB', 50);
figure(`${prefix}_rss_peak`, peak, 'MB', 80);
console.log(
  JSON.stringify({
    name: `${prefix}_helper_private_peak`,
    value: Math.round((helperPeak / 1024) * 10) / 10,
    unit: 'MB',
    target: null,
    ok: true,
  }),
);
console.log(
  JSON.stringify({ name: `${prefix}_rss_file_steady`, value: Math.round(median(rssFile) * 10) / 10, unit: 'MB', target: null, ok: true }),
);
// Everything the process used over the measured cycles (collection, digest, sending), per cycle.
figure(`${prefix}_collection_cpu`, ((cycles[warmup + measured].cpuTicks - cycles[warmup].cpuTicks) * TICK_MS) / measured, 'ms', 250);
figure(`${prefix}_collection_wall`, median(window.map((c) => c.wallMs).sort((a, b) => a - b)), 'ms', 1000);
figure(`${prefix}_bytes_per_unchanged_cycle`, unchangedBytes, 'B', 256);
// What Node itself takes under the same settings: the floor the agent's figure stands on.
if (executable) process.exit(0);
const runtimeEnv = JSON.parse(readFileSync(path.join(repo, 'apps/agent/runtime-env.json'), 'utf8'));
const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { env: { ...process.env, ...runtimeEnv }, stdio: 'ignore' });
children.push(bare);
await sleep(3000);
const bareRss = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${bare.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
console.log(JSON.stringify({ name: 'node_rss_idle_same_flags', value: Math.round(bareRss * 10) / 10, unit: 'MB', target: null, ok: true }));
relay.close();
process.exit(0);
