// The server under test: the built CLI as a child process on a throwaway database, and
// what the kernel says about it (/proc/<pid>/status and /stat).
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { clearInterval, clearTimeout, setInterval, setTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';

const PG_SERVER = process.env.PLUMBLINE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
/** Clock ticks per second for /proc/<pid>/stat; 100 on every Linux this runs on (getconf CLK_TCK). */
const CLK_TCK = 100;

export async function freePort() {
  const srv = createServer();
  await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** A fresh database: a PGlite data directory, or a database of its own on the PostgreSQL server. */
export async function freshDatabase(kind, repo, pgServer = PG_SERVER) {
  const dir = mkdtempSync(path.join(tmpdir(), 'plumbline-fleet-'));
  if (kind === 'pglite') {
    return { env: { PLUMBLINE_DATA_DIR: path.join(dir, 'data') }, dir, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  // The pg driver is a server dependency; resolve it from there rather than adding one here.
  const pg = createRequire(path.join(repo, 'apps/server/package.json'))('pg');
  const name = `plumbline_fleet_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = async (sql) => {
    const c = new pg.Client({ connectionString: `${pgServer}/postgres` });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  return {
    env: { DATABASE_URL: `${pgServer}/${name}`, PLUMBLINE_DATA_DIR: path.join(dir, 'data') },
    dir,
    drop: async () => {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `plumbline <args>` against the database (before the server runs: PGlite allows one process). */
export function serverCli(repo, env, args) {
  return execFileSync(process.execPath, [path.join(repo, 'apps/server/dist/cli.js'), ...args], {
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** A process's limit on open files (`/proc/<pid>/limits`), soft and hard; null where unreadable. */
export function openFilesLimit(pid = 'self') {
  try {
    const m = /^Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    const n = (v) => (v === 'unlimited' ? Infinity : Number(v));
    return m ? { soft: n(m[1]), hard: n(m[2]) } : null;
  } catch {
    return null;
  }
}

export class ServerProcess {
  /** `name` says which process a message is about ("the server", "replica 1"). */
  constructor({ repo, env, port, logFile, nodeArgs = [], name = 'the server' }) {
    Object.assign(this, { repo, env, port, logFile, nodeArgs, name });
    this.url = `http://127.0.0.1:${port}`;
    this.child = null;
    this.peakRssKb = 0;
    /** Peak RSS (KB) of each phase of the run, in the order they came; see phase(). */
    this.phases = new Map();
    this.current = 'startup';
    this.phaseKb = 0;
  }

  /**
   * Ends the current phase and starts `name`: its peak is the kernel's VmHWM since the
   * last phase change (reset through /proc/<pid>/clear_refs), or the highest VmRSS sampled
   * where the kernel refuses the reset.
   */
  phase(name) {
    this.sample();
    this.phases.set(this.current, Math.max(this.phases.get(this.current) ?? 0, this.phaseKb));
    this.current = name;
    this.phaseKb = 0;
    this.resetPeak();
  }

  resetPeak() {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      this.hwmResets = true;
    } catch {
      this.hwmResets = false;
    }
  }

  /** "ramp 337, steady 340, ..." in MB. */
  phasePeaks() {
    this.phase(this.current);
    return [...this.phases]
      .filter(([, kb]) => kb > 0)
      .map(([name, kb]) => `${name} ${(kb / 1024).toFixed(0)}`)
      .join(', ');
  }

  /** Starts `plumbline serve` with the fd limit raised as far as the hard limit allows; resolves when /healthz answers. */
  async start(timeoutMs = 120_000) {
    const log = openSync(this.logFile, 'a');
    const cli = path.join(this.repo, 'apps/server/dist/cli.js');
    // Node cannot raise its own RLIMIT_NOFILE past the hard limit; a shell can try, then exec keeps the pid.
    const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec "$@"';
    this.child = spawn('sh', ['-c', script, 'sh', process.execPath, ...this.nodeArgs, cli, 'serve'], {
      env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', log, log],
    });
    closeSync(log);
    // A new process's VmHWM covers only itself: exact for the phase it starts in.
    this.hwmResets = true;
    const child = this.child;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    this.exited.then(({ code, signal }) => {
      if (!this.stopping)
        process.stderr.write(`[fleet] ${this.name} exited unexpectedly (code ${code}, signal ${signal}); see ${this.logFile}\n`);
    });
    const started = performance.now();
    const deadline = started + timeoutMs;
    while (performance.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`${this.name} exited with ${this.child.exitCode}; see ${this.logFile}`);
      const ok = await fetch(`${this.url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return (performance.now() - started) / 1000;
      await sleep(100);
    }
    throw new Error(`${this.name} not up within ${timeoutMs} ms; see ${this.logFile}`);
  }

  get pid() {
    return this.child?.pid;
  }

  /** RSS now and at its peak (VmHWM), in MB, and CPU seconds used so far (user + system). */
  sample() {
    try {
      const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
      const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
      // Fields after the command name, which is in parentheses and may hold spaces.
      const stat = readFileSync(`/proc/${this.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
      this.peakRssKb = Math.max(this.peakRssKb, kb('VmHWM'));
      this.phaseKb = Math.max(this.phaseKb, this.hwmResets ? kb('VmHWM') : kb('VmRSS'));
      return {
        rssMb: kb('VmRSS') / 1024,
        peakRssMb: this.peakRssKb / 1024,
        cpuSeconds,
        fds: Number(/^FDSize:\s+(\d+)/m.exec(status)?.[1] ?? 0),
      };
    } catch {
      return null;
    }
  }

  /** Sends `signal` and waits for the exit (SIGKILL after `timeoutMs`). */
  async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.sample();
    const child = this.child;
    this.stopping = true;
    child.kill(signal);
    const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // Shutdown has a peak of its own (closing every socket); read it until the very end.
    const watch = setInterval(() => this.sample(), 50);
    const result = await this.exited;
    clearInterval(watch);
    clearTimeout(killer);
    this.child = null;
    this.stopping = false;
    return result;
  }
}
