// Dashboard benchmark (issue 6, DESIGN "dashboard interactive <= 2 s" at 10,000 hosts, initial
// JavaScript <= 300 KB gzipped). Runs the built server (`plumbline serve`) on a fresh embedded
// database, or on PostgreSQL when PLUMBLINE_BENCH_PG_URL is given (a server URL without a
// database name: a throwaway database is made there and dropped), seeds 10,000 hosts with facts
// and 160 verdicts each (bench/seed/fleet-db.mjs), signs in as an admin in the system Chromium
// and, for the overview (with its triage view), the hosts and the drift pages, measures the time
// from navigation start until the page is interactive: its main content shows the seeded data AND
// a click answers (a score band of the overview opens its hosts; the hosts table re-sorts by name;
// the drift feed filters to compliance drift). Each run is a new
// browser context (empty cache: a first visit); the figure is the median of RUNS runs after one
// warm-up. Prints one JSON line per figure ({"name","value","unit","target","ok"}); without
// Chromium, one line saying so, and exit 0.
// Env: HOSTS (10000), RUNS (5), PLUMBLINE_BENCH_CHROMIUM (/usr/bin/chromium), PLUMBLINE_BENCH_KEEP=1.
/* global document, location, performance -- the functions given to page.evaluate / waitForFunction run in the browser */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearTimeout, setTimeout } from 'node:timers';
import { gzipSync } from 'node:zlib';
import { loadFixtures } from '../../../bench/fleet/facts.mjs';
import { freePort, freshDatabase, ServerProcess } from '../../../bench/fleet/server.mjs';
import { contentRules, seedFleet } from '../../../bench/seed/fleet-db.mjs';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const HOSTS = Number(process.env.HOSTS ?? 10_000);
const RUNS = Math.max(1, Number(process.env.RUNS ?? 5));
const RULES = 160;
const CHROMIUM = process.env.PLUMBLINE_BENCH_CHROMIUM ?? '/usr/bin/chromium';
const PG = process.env.PLUMBLINE_BENCH_PG_URL;
const TARGET_MS = 2000;
const TARGET_KB = 300;
const ADMIN = { email: 'bench@example.com', password: 'bench-correct-horse-battery' };

const figure = (name, value, unit, target, ok, note) =>
  console.log(JSON.stringify({ name, value: Math.round(value * 10) / 10, unit, target, ok, ...(note && { note }) }));
const log = (msg) => process.stderr.write(`[dashboard bench] ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// playwright-core is the e2e package's dependency; resolve it from there rather than adding one here.
let chromium;
try {
  ({ chromium } = createRequire(path.join(repo, 'e2e/package.json'))('playwright-core'));
} catch {
  // Reported below, like a missing browser.
}
if (!chromium || !existsSync(CHROMIUM)) {
  const what = chromium
    ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set PLUMBLINE_BENCH_CHROMIUM)`
    : 'playwright-core is not installed (pnpm install)';
  figure('dashboard_overview_interactive_ms', -1, 'ms', `<= ${TARGET_MS}`, false, `${what}: not measured`);
  process.exit(0);
}
for (const [file, pkg] of [
  ['apps/server/dist/cli.js', 'apps/server'],
  ['apps/agent/dist/cli.js', 'apps/agent'],
  ['apps/dashboard/dist/index.html', 'apps/dashboard'],
]) {
  if (!existsSync(path.join(repo, file))) {
    log(`${file} is missing: build ${pkg} first (pnpm build)`);
    process.exit(2);
  }
}

/** What "interactive" means per page: the data is on screen, then a click gets its answer. */
const PAGES = {
  overview: {
    path: '/',
    // The triage view: the fleet figures name the seeded host count, the worst hosts and the rules
    // to fix first are listed.
    ready: async (page, hostCount) => {
      await page.getByRole('list', { name: 'Fleet figures' }).getByRole('link').filter({ hasText: hostCount }).waitFor();
      await page.getByRole('table', { name: 'Worst hosts, lowest score first' }).getByRole('link').first().waitFor();
      await page.getByRole('table', { name: 'Rules whose fix raises the fleet score most' }).getByRole('link').first().waitFor();
    },
    // A distribution band opens the hosts in its range.
    interact: async (page) => {
      const bands = page.getByRole('list', { name: 'Hosts by score' }).getByRole('link');
      await bands
        .filter({ has: page.locator('.dist-count', { hasText: /\d/ }) })
        .first()
        .click();
      await page.getByRole('heading', { level: 1, name: 'Hosts' }).waitFor();
      await page
        .getByRole('table', { name: /^Hosts, sorted by score/ })
        .getByRole('link')
        .first()
        .waitFor();
    },
  },
  hosts: {
    path: '/hosts',
    // The first page of hosts (worst first) and the fleet's total.
    ready: async (page, hostCount) => {
      await page
        .getByRole('table', { name: /^Hosts, sorted by score/ })
        .getByRole('link')
        .first()
        .waitFor();
      await page.getByText(hostCount, { exact: true }).first().waitFor();
    },
    // Sorting by name: the header says so and the re-sorted rows are shown (the table is no longer busy).
    interact: async (page) => {
      await page.getByRole('button', { name: 'Hostname', exact: true }).click();
      await page.waitForFunction(() => {
        const sorted = [...document.querySelectorAll('th[aria-sort="ascending"]')].some((th) => th.textContent?.startsWith('Hostname'));
        return sorted && document.querySelector('table[aria-busy="true"]') === null;
      });
    },
  },
  drift: {
    path: '/drift?range=24h',
    // The last day's drift, readable, newest first.
    ready: async (page) => {
      await page.getByRole('table', { name: 'Drift events, newest first' }).locator('tbody tr').first().waitFor();
    },
    // Filtering to compliance drift: the filtered rows are shown (no longer updating).
    interact: async (page) => {
      await page.getByLabel('Kind').selectOption('compliance');
      await page.waitForFunction(() => {
        const rows = [...document.querySelectorAll('table tbody tr')];
        const updating = [...document.querySelectorAll('[role="status"]')].some((s) => s.textContent === 'Updating…');
        return (
          location.search.includes('kind=compliance') &&
          !updating &&
          rows.length > 0 &&
          rows.every((r) => /compliance/.test(r.textContent ?? ''))
        );
      });
    },
  },
};

/** One first visit of a page: times from navigation start, and the gzipped size of the scripts it loaded. */
async function visit(browser, storageState, baseURL, name, hostCount) {
  const spec = PAGES[name];
  const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const scripts = [];
    page.on('response', (res) => {
      if (res.request().resourceType() === 'script')
        scripts.push(
          res.body().then(
            (b) => gzipSync(b).length,
            () => 0,
          ),
        );
    });
    await page.goto(baseURL + spec.path, { waitUntil: 'commit' });
    await spec.ready(page, hostCount);
    const contentMs = await page.evaluate(() => performance.now());
    await spec.interact(page, hostCount);
    const interactiveMs = await page.evaluate(() => performance.now());
    const jsGzipKb = (await Promise.all(scripts)).reduce((a, b) => a + b, 0) / 1024;
    return { contentMs, interactiveMs, jsGzipKb };
  } finally {
    await context.close();
  }
}

async function signIn(browser, baseURL) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${baseURL}/login`);
  await page.getByLabel('Email').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
  const state = await context.storageState();
  await context.close();
  return state;
}

const kind = PG ? 'postgres' : 'pglite';
const database = await freshDatabase(kind, repo, PG);
const env = { ...database.env, LOG_LEVEL: 'warn', NO_COLOR: '1' };
const work = mkdtempSync(path.join(tmpdir(), 'plumbline-bench-dashboard-'));
const keep = process.env.PLUMBLINE_BENCH_KEEP === '1';
let server;
let browser;
// Every phase is bounded: a stuck run ends, and cleans up, rather than holding `pnpm bench`.
const watchdog = setTimeout(() => {
  log('overran 15 minutes: stopping');
  void cleanup().finally(() => process.exit(1));
}, 15 * 60_000);

async function cleanup() {
  clearTimeout(watchdog);
  await browser?.close().catch(() => {});
  await server?.stop().catch(() => {});
  if (keep) log(`kept ${work} and the database (${JSON.stringify(database.env)})`);
  else {
    await database.drop().catch((err) => log(`could not drop the database: ${err.message}`));
    rmSync(work, { recursive: true, force: true });
  }
}

try {
  // Opening the database applies the migrations; only then can it be seeded.
  execFileSync(
    process.execPath,
    [path.join(repo, 'apps/server/dist/cli.js'), 'user', 'add', '--email', ADMIN.email, '--role', 'admin', '--password-stdin'],
    {
      env: { ...process.env, ...env },
      input: `${ADMIN.password}\n`,
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  const t0 = Date.now();
  const facts = loadFixtures(repo).map((f) => f.facts);
  const counts = await withDb(env, (db) =>
    seedFleet(db, { hosts: HOSTS, rules: contentRules(RULES), facts, drift: 2000, intervalSeconds: 3600 }),
  );
  log(
    `seeded ${counts.hosts} hosts, ${counts.verdicts} verdicts, ${counts.facts} fact sets on ${kind} in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
  );

  server = new ServerProcess({ repo, env, port: await freePort(), logFile: path.join(work, 'server.log') });
  await server.start();
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
  const storageState = await signIn(browser, server.url);
  // What the dashboard shows for the host count (formatCount: the viewer's locale, en-US here).
  const hostCount = new Intl.NumberFormat('en-US').format(counts.hosts);

  const runs = Object.fromEntries(Object.keys(PAGES).map((name) => [name, []]));
  for (let i = 0; i <= RUNS; i++) {
    for (const name of Object.keys(PAGES)) {
      const r = await visit(browser, storageState, server.url, name, hostCount);
      if (i > 0) runs[name].push(r); // the first round warms the server and the database up
    }
  }
  const note = `${counts.hosts} hosts x ${RULES} rules on ${kind}; median of ${RUNS} first visits (empty cache)`;
  for (const [name, rs] of Object.entries(runs)) {
    const interactive = median(rs.map((r) => r.interactiveMs));
    figure(`dashboard_${name}_interactive_ms`, interactive, 'ms', `<= ${TARGET_MS}`, interactive <= TARGET_MS, note);
    figure(
      `dashboard_${name}_content_ms`,
      median(rs.map((r) => r.contentMs)),
      'ms',
      null,
      true,
      'navigation start -> the main content with data on screen',
    );
  }
  // The JavaScript a first visit downloads before it is interactive (entry, preloads, route chunks).
  const js = Math.max(...Object.values(runs).flatMap((rs) => rs.map((r) => r.jsGzipKb)));
  figure(
    'dashboard_initial_js_gzip_kb',
    js,
    'KB',
    `<= ${TARGET_KB}`,
    js <= TARGET_KB,
    'scripts loaded until the overview, hosts or drift page is interactive, gzip -6',
  );
} catch (err) {
  log(`failed: ${err.stack ?? err}${server ? ` (server log: ${server.logFile})` : ''}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

/** Opens the seeded database directly (the server is not running yet: PGlite allows one process). */
async function withDb(dbEnv, fn) {
  const require = createRequire(path.join(repo, 'apps/server/package.json'));
  let db;
  if (dbEnv.DATABASE_URL) {
    db = new (require('pg').Client)({ connectionString: dbEnv.DATABASE_URL });
    await db.connect();
  } else {
    const { PGlite } = await import(require.resolve('@electric-sql/pglite'));
    db = new PGlite(path.join(dbEnv.PLUMBLINE_DATA_DIR, 'pgdata'));
    await db.waitReady;
  }
  try {
    return await fn(db);
  } finally {
    await (db.end ? db.end() : db.close());
  }
}
