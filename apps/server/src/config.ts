import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { AppError, ErrorCode } from './errors';

/** Walks up from this module to the first directory holding `rel` (works from src/ and dist/). */
function findUp(rel: string): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, rel);
    if (existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * A whole number within [min, max]. Stricter than a coercion: an empty value is not 0, and
 * "1e3", "0x50" or "80.5" are not numbers an operator meant.
 */
function wholeNumber<F extends number | null>(min: number, max: number, fallback: F) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): number | F => {
      if (raw === undefined) return fallback;
      const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
      if (n >= min && n <= max) return n;
      ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}, not ${JSON.stringify(raw)}` });
      return z.NEVER;
    });
}

const Env = z.object({
  PORT: wholeNumber(1, 65535, 8470),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// URL')
    .optional(),
  PLUMBLINE_DATA_DIR: z.string().min(1).default('./.plumbline'),
  PLUMBLINE_MIGRATIONS_DIR: z.string().optional(),
  PLUMBLINE_DASHBOARD_DIR: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Secure cookies need HTTPS: on by default when the server terminates TLS; set true behind a TLS proxy. */
  PLUMBLINE_SECURE_COOKIES: z.enum(['true', 'false']).optional(),
  PLUMBLINE_DB_POOL_SIZE: wholeNumber(1, 200, 10),
  /** Agent connections this process holds at most; unset, its open-files limit less a reserve (see agentCapacity). */
  PLUMBLINE_MAX_AGENTS: wholeNumber(1, 10_000_000, null),
  /** How often replicas on one database compare the agents they hold, and one above its fair share moves some, in seconds; 0: never. */
  PLUMBLINE_AGENT_REBALANCE_SECONDS: wholeNumber(0, 3600, 10),
  /** Behind a reverse proxy: `true`, or the proxy addresses/CIDRs, so client IPs (throttling, logs) are the real ones. */
  PLUMBLINE_TRUST_PROXY: z.string().default('false'),
  /** Serve the dashboard's source maps (they are built, but not served unless asked for). */
  PLUMBLINE_SERVE_SOURCEMAPS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** Longest a waiver may be granted for, in days. */
  PLUMBLINE_WAIVER_MAX_DAYS: wholeNumber(1, 3650, 365),
  /** When true, a waiver applies only once someone other than its requester approves it. */
  PLUMBLINE_TWO_PERSON_APPROVAL: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** PEM files: with both set the server speaks HTTPS and WSS only. */
  PLUMBLINE_TLS_CERT: z.string().optional(),
  PLUMBLINE_TLS_KEY: z.string().optional(),
  /** Webhook delivery: attempts per event, the first retry delay (doubling after each failure), the receiver timeout. */
  PLUMBLINE_WEBHOOK_ATTEMPTS: wholeNumber(1, 20, 5),
  PLUMBLINE_WEBHOOK_BACKOFF_MS: wholeNumber(0, 86_400_000, 120_000),
  PLUMBLINE_WEBHOOK_TIMEOUT_MS: wholeNumber(100, 120_000, 10_000),
  /** When false, webhooks and report URLs may not reach loopback or private addresses (link-local is always refused). */
  PLUMBLINE_WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How often the background workers look for due webhook deliveries and report schedules, in milliseconds. */
  PLUMBLINE_OUTBOUND_POLL_MS: wholeNumber(10, 3_600_000, 5000),
  /** How often host, group and fleet scores are sampled for the trend charts, in seconds. */
  PLUMBLINE_SCORE_SAMPLE_SECONDS: wholeNumber(60, 86_400, 3600),
  /** How often expired waivers are looked for, so that scores stop counting them, in seconds. */
  PLUMBLINE_WAIVER_SWEEP_SECONDS: wholeNumber(5, 3600, 60),
  /** How long verdict and fact history is kept in days; older history is thinned to a checkpoint. */
  PLUMBLINE_HISTORY_RETENTION_DAYS: wholeNumber(1, 36_500, 400),
  /** Password hashes run at once (128 MiB each while running), and how many more may wait; the rest get 429. */
  PLUMBLINE_PASSWORD_HASH_CONCURRENCY: wholeNumber(1, 16, 2),
  PLUMBLINE_PASSWORD_HASH_QUEUE: wholeNumber(0, 1000, 16),
  /** Sign-in and password-change requests one client address may make per minute, across accounts. */
  PLUMBLINE_SIGNIN_BUDGET_PER_MINUTE: wholeNumber(1, 100_000, 20),
  /** How often the audit chain's head is checkpointed (signed, outside the database) when it moved, in seconds. */
  PLUMBLINE_AUDIT_CHECKPOINT_SECONDS: wholeNumber(1, 86_400, 300),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  migrationsDir: string;
  dashboardDir: string | undefined;
  logLevel: z.infer<typeof Env>['LOG_LEVEL'];
  secureCookies: boolean;
  dbPoolSize: number;
  /** Null: derived from the open-files limit at startup. */
  maxAgents: number | null;
  /** 0: agents are never asked to move to another replica (see routes/agent/rebalance.ts). */
  agentRebalanceMs: number;
  trustProxy: boolean | string[];
  serveSourceMaps: boolean;
  waiverMaxDays: number;
  twoPersonApproval: boolean;
  tls: { cert: Buffer; key: Buffer } | null;
  webhook: { attempts: number; backoffMs: number; timeoutMs: number; allowPrivate: boolean };
  outboundPollMs: number;
  scoreSampleSeconds: number;
  waiverSweepSeconds: number;
  historyRetentionDays: number;
  passwordHashing: { concurrency: number; maxWaiting: number };
  signInBudgetPerMinute: number;
  auditCheckpointSeconds: number;
}

/**
 * Parses the environment once; every bad setting is listed in one error. A setting that is
 * present but empty (`PORT=`, often a template variable that did not expand) is refused rather
 * than read as unset or as 0: either would start a server other than the one intended.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const names = Object.keys(Env.shape) as (keyof typeof Env.shape)[];
  const empty = names.filter((name) => env[name] === '');
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([name, v]) => v !== '' || !(name in Env.shape))));
  const lines = [
    ...empty.map((name) => `${name}: is set but empty; unset it to use the default${defaultOf(name)}, or give a value`),
    ...(parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)),
  ];
  if (!parsed.success || lines.length > 0) {
    throw new AppError(ErrorCode.config, `invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const tls = loadTls(e.PLUMBLINE_TLS_CERT, e.PLUMBLINE_TLS_KEY);
  const migrationsDir = e.PLUMBLINE_MIGRATIONS_DIR ?? findUp('prisma/migrations');
  if (!migrationsDir)
    throw new AppError(ErrorCode.config, 'invalid configuration: prisma/migrations not found; set PLUMBLINE_MIGRATIONS_DIR');
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: path.resolve(e.PLUMBLINE_DATA_DIR),
    migrationsDir,
    dashboardDir: e.PLUMBLINE_DASHBOARD_DIR ?? findUp('apps/dashboard/dist'),
    logLevel: e.LOG_LEVEL,
    // Over TLS cookies are Secure unless told otherwise.
    secureCookies: e.PLUMBLINE_SECURE_COOKIES ? e.PLUMBLINE_SECURE_COOKIES === 'true' : tls !== null,
    dbPoolSize: e.PLUMBLINE_DB_POOL_SIZE,
    maxAgents: e.PLUMBLINE_MAX_AGENTS,
    agentRebalanceMs: e.PLUMBLINE_AGENT_REBALANCE_SECONDS * 1000,
    trustProxy: trustProxyOf(e.PLUMBLINE_TRUST_PROXY),
    serveSourceMaps: e.PLUMBLINE_SERVE_SOURCEMAPS,
    waiverMaxDays: e.PLUMBLINE_WAIVER_MAX_DAYS,
    twoPersonApproval: e.PLUMBLINE_TWO_PERSON_APPROVAL,
    tls,
    webhook: {
      attempts: e.PLUMBLINE_WEBHOOK_ATTEMPTS,
      backoffMs: e.PLUMBLINE_WEBHOOK_BACKOFF_MS,
      timeoutMs: e.PLUMBLINE_WEBHOOK_TIMEOUT_MS,
      allowPrivate: e.PLUMBLINE_WEBHOOK_ALLOW_PRIVATE,
    },
    outboundPollMs: e.PLUMBLINE_OUTBOUND_POLL_MS,
    scoreSampleSeconds: e.PLUMBLINE_SCORE_SAMPLE_SECONDS,
    waiverSweepSeconds: e.PLUMBLINE_WAIVER_SWEEP_SECONDS,
    historyRetentionDays: e.PLUMBLINE_HISTORY_RETENTION_DAYS,
    passwordHashing: { concurrency: e.PLUMBLINE_PASSWORD_HASH_CONCURRENCY, maxWaiting: e.PLUMBLINE_PASSWORD_HASH_QUEUE },
    signInBudgetPerMinute: e.PLUMBLINE_SIGNIN_BUDGET_PER_MINUTE,
    auditCheckpointSeconds: e.PLUMBLINE_AUDIT_CHECKPOINT_SECONDS,
  };
}

function defaultOf(name: keyof typeof Env.shape): string {
  const d = Env.shape[name].safeParse(undefined);
  return d.success && d.data !== undefined && d.data !== null ? ` (${String(d.data)})` : '';
}

function trustProxyOf(value: string): boolean | string[] {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
}

function loadTls(certFile: string | undefined, keyFile: string | undefined): Config['tls'] {
  if (!certFile && !keyFile) return null;
  if (!certFile || !keyFile)
    throw new AppError(ErrorCode.config, 'invalid configuration: PLUMBLINE_TLS_CERT and PLUMBLINE_TLS_KEY go together');
  const read = (name: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new AppError(
        ErrorCode.config,
        `invalid configuration: ${name}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? err})`,
      );
    }
  };
  return { cert: read('PLUMBLINE_TLS_CERT', certFile), key: read('PLUMBLINE_TLS_KEY', keyFile) };
}
