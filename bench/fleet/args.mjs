// Command line of `pnpm bench:fleet`.
import { parseArgs } from 'node:util';

const USAGE = `usage: pnpm bench:fleet [--agents N] [--change-rate R] [--duration D] [--database pglite|postgres] [--replicas R]
  --agents N            simulated agents (default 1000)
  --change-rate R       probability that a collection cycle changes a tracked fact (default 0.05)
  --duration D          steady phase, e.g. 30s, 2m (default 60s)
  --database KIND       pglite (embedded, default) or postgres (a throwaway database on PLUMBLINE_TEST_PG_URL)
  --replicas R          server processes on the one database (default 1; more than one needs --database postgres);
                        agent i connects to replica i % R and fails over to the next one when its connection
                        fails or closes; the restart at the end restarts replica 0 only
  --interval D          each agent's collection interval (default 30s, the agent's own default)
  --ramp-concurrency N  agents enrolling at once (default 100)
  --burst N             after enrollment, N agents send a full snapshot at once (default 0: the enrollment
                        ramp already measures snapshots stored per second)
  --skip-restart        do not restart the server (replica 0) at the end
  --cpu-prof            profile the server (node --cpu-prof) and print where its time went
  --log-level LEVEL     the server's log level (default warn: info logs every request)
  --seed N              fleet variation seed (default 1)
  --sim-processes N     processes the simulated agents are spread over (default: as many as the open-files
                        limit needs, one per ~19,800 agents here; agent i is the same agent whatever N is)
  --server-node-options "FLAGS"
                        Node flags for the server process instead of the production ones
                        (apps/server/runtime.json, as the Dockerfile and \`pnpm start\` run it)`;

/** "30s", "2m", "1500ms" or plain seconds, in milliseconds. */
export function durationMs(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(String(text).trim());
  if (!m) return null;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'];
  return Math.round(Number(m[1]) * unit);
}

/** One line on stderr and exit code 2: bad input starts nothing. */
function fail(message) {
  console.error(`bench:fleet: ${message} (see --help)`);
  process.exit(2);
}

export function readArgs(argv) {
  let v;
  try {
    ({ values: v } = parseArgs({
      args: argv,
      options: {
        agents: { type: 'string', default: '1000' },
        'change-rate': { type: 'string', default: '0.05' },
        duration: { type: 'string', default: '60s' },
        database: { type: 'string', default: 'pglite' },
        replicas: { type: 'string', default: '1' },
        interval: { type: 'string', default: '30s' },
        'ramp-concurrency': { type: 'string', default: '100' },
        burst: { type: 'string', default: '0' },
        'skip-restart': { type: 'boolean', default: false },
        'cpu-prof': { type: 'boolean', default: false },
        'log-level': { type: 'string', default: 'warn' },
        seed: { type: 'string', default: '1' },
        'sim-processes': { type: 'string' },
        'server-node-options': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (err) {
    fail(err.message);
  }
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name, min) => {
    const n = Number(v[name]);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be a whole number >= ${min}`);
    return n;
  };
  const changeRate = Number(v['change-rate']);
  if (!(changeRate >= 0 && changeRate <= 1)) fail('--change-rate must be between 0 and 1');
  const duration = durationMs(v.duration);
  if (!duration || duration < 1000) fail(`--duration: '${v.duration}' is not a duration of at least 1s`);
  const interval = durationMs(v.interval);
  if (!interval || interval < 1000) fail(`--interval: '${v.interval}' is not a duration of at least 1s`);
  if (!['pglite', 'postgres'].includes(v.database)) fail('--database must be pglite or postgres');
  const replicas = int('replicas', 1);
  // Only one process may open a PGlite directory: replicas share a PostgreSQL database.
  if (replicas > 1 && v.database !== 'postgres')
    fail(`--replicas ${replicas} needs --database postgres (only one process may open PGlite)`);
  return {
    agents: int('agents', 1),
    replicas,
    changeRate,
    durationMs: duration,
    intervalMs: interval,
    database: v.database,
    rampConcurrency: int('ramp-concurrency', 1),
    burst: int('burst', 0),
    restart: !v['skip-restart'],
    cpuProf: v['cpu-prof'],
    logLevel: v['log-level'],
    seed: int('seed', 0),
    simProcesses: v['sim-processes'] === undefined ? null : int('sim-processes', 1),
    serverNodeOptions: v['server-node-options'] ?? null,
  };
}
