// Fleet report benchmark: seeds a throwaway PostgreSQL database with 10,000 hosts x 160 rules
// (verdicts, history, evidence) by set-based SQL, then times the built CLI exporting a fleet
// CSV and PDF and measures its peak RSS (GNU time). Prints {"name","value","unit","target","ok"}.
// Needs PostgreSQL (PLUMBLINE_BENCH_PG_URL or PLUMBLINE_TEST_PG_URL, default
// postgresql://postgres@127.0.0.1:5432) and a build (`pnpm build`). HOSTS=... changes the size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const server = path.join(here, '..');
const repo = path.join(server, '..', '..');
const require = createRequire(path.join(server, 'package.json'));
const pg = require('pg');
const YAML = require('yaml');

const HOSTS = Number(process.env.HOSTS ?? 10_000);
const RULES = 160;
const PG = process.env.PLUMBLINE_BENCH_PG_URL ?? process.env.PLUMBLINE_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432';
const cli = path.join(server, 'dist', 'cli.js');
const TARGETS = { csvSeconds: 60, pdfSeconds: 180, rssMb: 400 };

const figure = (name, value, unit, target, ok) => console.log(JSON.stringify({ name, value, unit, target, ok }));

if (!existsSync(cli)) {
  console.error('reports bench: build first (pnpm build)');
  process.exit(2);
}

// Real rule ids: the report skips verdicts of rules the content does not know.
const rules = [];
const dir = path.join(repo, 'packages', 'benchmarks', 'content', 'rules');
for (const f of readdirSync(dir).sort()) {
  if (!f.endsWith('.yaml')) continue;
  for (const r of YAML.parse(readFileSync(path.join(dir, f), 'utf8')).rules ?? []) rules.push(r);
}
const picked = rules.slice(0, RULES);

// PLUMBLINE_BENCH_KEEP=1 keeps the seeded database (named on stderr) for a closer look.
const keep = process.env.PLUMBLINE_BENCH_KEEP === '1';
const dbName = `plumbline_bench_reports_${process.pid}`;
const admin = new pg.Client({ connectionString: `${PG}/postgres` });
await admin.connect();
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
  await db.query(`INSERT INTO groups (name) SELECT 'group-' || g FROM generate_series(0, 9) g`);
  await db.query(`INSERT INTO agent_credentials (id, prefix, secret_hash) SELECT md5('c' || i)::uuid, 'plb_agent', md5('s' || i) FROM generate_series(1, $1::int) i`, [HOSTS]);
  await db.query(
    `INSERT INTO hosts (id, credential_id, hostname, os, os_id, os_version, group_name, tags, profile_id)
     SELECT md5('h' || i)::uuid, md5('c' || i)::uuid, 'host-' || lpad(i::text, 5, '0'), 'Debian GNU/Linux 12 (bookworm)', 'debian', '12',
            'group-' || (i % 10), ARRAY['bench'], 'cis-l1-server'
     FROM generate_series(1, $1::int) i`,
    [HOSTS],
  );
  const first = '2026-01-01T00:00:00Z';
  await db.query(
    `INSERT INTO rule_results (host_id, rule_id, status, severity, section_id, evidence, first_failed_at, changed_at)
     SELECT h.id, r.id, s.status, r.sev, r.sec,
            jsonb_build_array(jsonb_build_object('expected', 'no', 'observed', 'value, "quoted" for ' || r.id, 'source', '/etc/ssh/sshd_config:' || (abs(hashtext(r.id)) % 90 + 1))),
            CASE WHEN s.status = 'fail' THEN $4::timestamptz END, $4::timestamptz
     FROM hosts h CROSS JOIN unnest($1::text[], $2::text[], $3::text[]) AS r(id, sev, sec)
     CROSS JOIN LATERAL (SELECT CASE abs(hashtext(h.id::text || r.id)) % 10 WHEN 0 THEN 'fail' WHEN 1 THEN 'fail' WHEN 2 THEN 'notapplicable' ELSE 'pass' END AS status) s`,
    [picked.map((r) => r.id), picked.map((r) => r.severity), picked.map((r) => r.section.id), first],
  );
  // History: the first evaluation of every host, as the evaluator records it.
  await db.query(`INSERT INTO result_changes (host_id, rule_id, before, after, evidence, observed_at, received_at) SELECT host_id, rule_id, NULL, status, evidence, changed_at, changed_at FROM rule_results`);
  await db.query('ANALYZE');
  const rows = (await db.query('SELECT count(*)::int AS n FROM rule_results')).rows[0].n;
  await db.end();
  process.stderr.write(`seeded ${HOSTS} hosts, ${rows} verdicts in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);

  for (const format of (process.env.FORMATS ?? 'csv,pdf').split(',')) {
    const out = path.join(work, `fleet.${format}`);
    const timing = path.join(work, `${format}.time`);
    const r = spawnSync('/usr/bin/time', ['-o', timing, '-f', '%e %M', process.execPath, cli, 'report', '--format', format, '--out', out], { env, encoding: 'utf8', timeout: 15 * 60_000 });
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
