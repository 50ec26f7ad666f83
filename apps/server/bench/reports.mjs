// Fleet report benchmark: seeds a throwaway PostgreSQL database with 10,000 hosts x 160 rules
// (verdicts, history, evidence) by set-based SQL (bench/seed/fleet-db.mjs), then times the
// built CLI exporting a fleet CSV and PDF and measures its peak RSS (GNU time).
// Prints {"name","value","unit","target","ok"}; without PostgreSQL, one figure saying so.
// Needs PostgreSQL (PLUMBLINE_BENCH_PG_URL or PLUMBLINE_TEST_PG_URL, default
// postgresql://postgres@127.0.0.1:5432) and a build (`pnpm build`). HOSTS=... changes the size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentRules, seedFleet } from '../../../bench/seed/fleet-db.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = path.join(here, '..');
const require = createRequire(path.join(server, 'package.json'));
const pg = require('pg');

const HOSTS = Number(process.env.HOSTS ?? 10_000);
const RULES = 160;
const PG = process.env.PLUMBLINE_BENCH_PG_URL ?? process.env.PLUMBLINE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const cli = path.join(server, 'dist', 'cli.js');
const TARGETS = { csvSeconds: 60, pdfSeconds: 180, rssMb: 400 };

const figure = (name, value, unit, target, ok, note) =>
  console.log(JSON.stringify({ name, value, unit, target, ok, ...(note && { note }) }));

if (!existsSync(cli)) {
  console.error('reports bench: build first (pnpm build)');
  process.exit(2);
}

const picked = contentRules(RULES);

// PLUMBLINE_BENCH_KEEP=1 keeps the seeded database (named on stderr) for a closer look.
const keep = process.env.PLUMBLINE_BENCH_KEEP === '1';
const dbName = `plumbline_bench_reports_${process.pid}`;
const admin = new pg.Client({ connectionString: `${PG}/postgres` });
try {
  await admin.connect();
} catch (err) {
  // No PostgreSQL here: say so as a figure, so that `pnpm bench` goes on with the others.
  figure(
    `report csv fleet ${HOSTS} hosts x ${RULES} rules: time`,
    -1,
    's',
    `<= ${TARGETS.csvSeconds}`,
    false,
    `PostgreSQL unreachable at ${PG} (${err.message}): not measured`,
  );
  process.exit(0);
}
await admin.query(`CREATE DATABASE ${dbName}`);
if (keep) process.stderr.write(`database ${dbName} is kept\n`);
const url = `${PG}/${dbName}`;
const env = { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' };
const work = mkdtempSync(path.join(tmpdir(), 'plumbline-bench-reports-'));

try {
  // Opening the database applies the migrations.
  const init = spawnSync(process.execPath, [cli, 'audit', 'verify'], { env, encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`migrating failed: ${init.stderr}`);

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const t0 = Date.now();
  const { verdicts: rows } = await seedFleet(db, { hosts: HOSTS, rules: picked, history: true });
  await db.end();
  process.stderr.write(`seeded ${HOSTS} hosts, ${rows} verdicts in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  for (const format of (process.env.FORMATS ?? 'csv,pdf').split(',')) {
    const out = path.join(work, `fleet.${format}`);
    const timing = path.join(work, `${format}.time`);
    const r = spawnSync('/usr/bin/time', ['-o', timing, '-f', '%e %M', process.execPath, cli, 'report', '--format', format, '--out', out], {
      env,
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    if (r.status !== 0) throw new Error(`${format} report failed: ${r.stderr}`);
    const [seconds, kb] = readFileSync(timing, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
    const mb = Math.round(kb / 1024);
    const size = Math.round(statSync(out).size / 1024 / 1024);
    const verify = spawnSync(process.execPath, [cli, 'verify', out], { env, encoding: 'utf8' });
    const limit = format === 'csv' ? TARGETS.csvSeconds : TARGETS.pdfSeconds;
    figure(`report ${format} fleet ${HOSTS} hosts x ${RULES} rules: time`, seconds, 's', `<= ${limit}`, seconds <= limit);
    figure(`report ${format} fleet ${HOSTS} hosts: peak RSS`, mb, 'MB', `<= ${TARGETS.rssMb}`, mb <= TARGETS.rssMb);
    figure(`report ${format} fleet ${HOSTS} hosts: size`, size, 'MB', 'info', true);
    figure(`report ${format} fleet: signature verifies`, verify.status === 0 ? 1 : 0, 'bool', '1', verify.status === 0);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
  if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
}
