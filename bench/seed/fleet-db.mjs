// Seeds a migrated Plumbline database with a large fleet by set-based SQL (one statement per
// table, `generate_series` / `unnest`), in seconds rather than the minutes that ingesting real
// snapshots would take. Shared by the benchmarks that need 10,000 hosts behind a real server
// (apps/server/bench/reports.mjs, apps/dashboard/bench/interactive.bench.mjs).
//
// `db` is anything with `query(text, params) -> { rows }`: a `pg` Client or a PGlite instance,
// so the same seed runs on PostgreSQL and on the embedded database. The rows are shaped as the
// evaluator stores them: verdicts with evidence, each host's score, counts and severity weights,
// the per-rule failure counts behind "top failing rules", and optionally current facts, the
// first evaluation as history, and recent drift.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const YAML = createRequire(path.join(repo, 'apps/server/package.json'))('yaml');

/** packages/benchmarks/src/schema.ts: low 1, medium 2, high 4, critical 8. */
const WEIGHT_SQL = `CASE r.severity WHEN 'critical' THEN 8 WHEN 'high' THEN 4 WHEN 'medium' THEN 2 ELSE 1 END`;

/** The first `count` rules of the bundled content (real ids: reports and pages skip unknown ones). */
export function contentRules(count) {
  const rules = [];
  const dir = path.join(repo, 'packages/benchmarks/content/rules');
  for (const f of readdirSync(dir).sort()) {
    if (!f.endsWith('.yaml')) continue;
    for (const r of YAML.parse(readFileSync(path.join(dir, f), 'utf8')).rules ?? []) rules.push(r);
  }
  return rules.slice(0, count).map((r) => ({ id: r.id, severity: r.severity, sectionId: r.section.id }));
}

/** The OS columns of a host, from a facts document's `host` (or Debian 12 without one). */
function variantOf(facts) {
  const os = facts?.host?.os;
  return {
    os: os?.pretty_name ?? 'Debian GNU/Linux 12 (bookworm)',
    osId: os?.id ?? 'debian',
    osVersion: os?.version_id ?? '12',
    kernel: facts?.host?.kernel?.release ?? '6.1.0-25-amd64',
    arch: facts?.host?.arch ?? 'x86_64',
  };
}

/**
 * Seeds `hosts` hosts in 10 groups, each judged on `rules` (from `contentRules`). Host i fails
 * about (4 + i % 33) % of its rules and 10 % do not apply, so scores spread over the whole range
 * (on average 20 % fail). Options:
 * - `facts`: facts documents (as `plumbline-agent facts` prints them, without `errors`); host i
 *   gets document i % n with its own hostname and machine id, and that document's OS.
 * - `history`: also record the first evaluation of every verdict in result_changes.
 * - `drift`: how many recent compliance drift events to spread over the fleet.
 * - `intervalSeconds`: the agents' collection interval (staleness is judged against it).
 * Returns the row counts.
 */
export async function seedFleet(db, { hosts, rules, facts = [], history = false, drift = 0, intervalSeconds = 30 }) {
  const variants = facts.length ? facts.map(variantOf) : [variantOf(null)];
  const col = (k) => variants.map((v) => v[k]);
  await db.query(`INSERT INTO groups (name) SELECT 'group-' || g FROM generate_series(0, 9) g ON CONFLICT DO NOTHING`);
  await db.query(
    `INSERT INTO agent_credentials (id, prefix, secret_hash) SELECT md5('c' || i)::uuid, 'plb_agent', md5('s' || i) FROM generate_series(1, $1::int) i`,
    [hosts],
  );
  // 1 host in 20 is offline: disconnected, last heard from a day or more ago.
  await db.query(
    `INSERT INTO hosts (id, credential_id, hostname, machine_id, os, os_id, os_version, kernel, arch, agent_version, group_name, tags,
                        profile_id, connected, interval_seconds, last_seen_at, created_at, evaluated_at)
     SELECT md5('h' || i)::uuid, md5('c' || i)::uuid, 'host-' || lpad(i::text, 5, '0'), md5('m' || i),
            v.os, v.os_id, v.os_version, v.kernel, v.arch, '0.1.0', 'group-' || (i % 10), ARRAY['bench'], 'cis-l1-server',
            i % 20 <> 0, $7::int,
            CASE WHEN i % 20 = 0 THEN now() - make_interval(hours => 24 + i % 72) ELSE now() END,
            now() - make_interval(days => 30), now()
     FROM generate_series(1, $1::int) i
     CROSS JOIN LATERAL (SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
                         AS v(os, os_id, os_version, kernel, arch, n) WHERE v.n = i % cardinality($2::text[]) + 1) v`,
    [hosts, col('os'), col('osId'), col('osVersion'), col('kernel'), col('arch'), intervalSeconds],
  );
  const first = '2026-01-01T00:00:00Z';
  await db.query(
    // One evidence document per rule (built once, not per row): the insert is the slow part.
    `INSERT INTO rule_results (host_id, rule_id, status, severity, section_id, evidence, first_failed_at, changed_at)
     SELECT h.id, r.id, s.status, r.sev, r.sec, r.evidence, CASE WHEN s.status = 'fail' THEN $4::timestamptz END, $4::timestamptz
     FROM (SELECT id, hostname, 4 + substr(hostname, 6)::int % 33 AS fail_pct FROM hosts) h
     CROSS JOIN (SELECT *, jsonb_build_array(jsonb_build_object('expected', 'no', 'observed', 'value, "quoted" for ' || id,
                          'source', '/etc/ssh/sshd_config:' || (abs(hashtext(id)) % 90 + 1))) AS evidence
                 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, sev, sec)) r
     CROSS JOIN LATERAL (SELECT abs(hashtext(h.id::text || r.id)) % 100 AS roll) x
     CROSS JOIN LATERAL (SELECT CASE WHEN x.roll < h.fail_pct THEN 'fail' WHEN x.roll < h.fail_pct + 10 THEN 'notapplicable' ELSE 'pass' END AS status) s`,
    [rules.map((r) => r.id), rules.map((r) => r.severity), rules.map((r) => r.sectionId), first],
  );
  // What the evaluator keeps on each host and per rule, so pages read one row per host.
  await db.query(
    `UPDATE hosts h SET pass_count = a.pass, fail_count = a.fail, na_count = a.na, pass_weight = a.pw, fail_weight = a.fw,
            score = CASE WHEN a.pw + a.fw > 0 THEN round(1000.0 * a.pw / (a.pw + a.fw)) / 10 END,
            score_waived = CASE WHEN a.pw + a.fw > 0 THEN round(1000.0 * a.pw / (a.pw + a.fw)) / 10 END
     FROM (SELECT host_id, count(*) FILTER (WHERE status = 'pass')::int AS pass, count(*) FILTER (WHERE status = 'fail')::int AS fail,
                  count(*) FILTER (WHERE status = 'notapplicable')::int AS na,
                  coalesce(sum(${WEIGHT_SQL}) FILTER (WHERE status = 'pass'), 0)::int AS pw,
                  coalesce(sum(${WEIGHT_SQL}) FILTER (WHERE status = 'fail'), 0)::int AS fw
           FROM rule_results r GROUP BY host_id) a
     WHERE h.id = a.host_id`,
  );
  await db.query(
    `INSERT INTO rule_stats (rule_id, fail_count, pass_count)
     SELECT rule_id, count(*) FILTER (WHERE status = 'fail'), count(*) FILTER (WHERE status = 'pass') FROM rule_results GROUP BY rule_id
     ON CONFLICT (rule_id) DO UPDATE SET fail_count = excluded.fail_count, pass_count = excluded.pass_count`,
  );
  if (facts.length) {
    await db.query(`INSERT INTO host_facts (host_id, digest, observed_at, received_at) SELECT id, md5(id::text), now(), now() FROM hosts`);
    // One row per fact, as ingest stores them; no digests (the next ingest compares by value).
    await db.query(
      `INSERT INTO host_fact_values (host_id, fact, value)
       SELECT h.id, e.key, CASE e.key WHEN 'host' THEN jsonb_set(jsonb_set(e.value, '{hostname}', to_jsonb(h.hostname)), '{machine_id}', to_jsonb(h.machine_id)) ELSE e.value END
       FROM hosts h JOIN unnest($1::jsonb[]) WITH ORDINALITY AS d(doc, n) ON d.n = substr(h.hostname, 6)::int % cardinality($1::jsonb[]) + 1,
            jsonb_each(d.doc) AS e`,
      [facts.map((f) => JSON.stringify(f))],
    );
    await db.query(`UPDATE hosts h SET facts_digest = f.digest FROM host_facts f WHERE f.host_id = h.id`);
  }
  if (history) {
    // The first evaluation of every host, as the evaluator records it.
    await db.query(
      `INSERT INTO result_changes (host_id, rule_id, before, after, evidence, observed_at, received_at)
       SELECT host_id, rule_id, NULL, status, evidence, changed_at, changed_at FROM rule_results`,
    );
  }
  if (drift > 0) {
    // Regressions over the last day, newest on the most recent hosts: what the drift feed lists.
    await db.query(
      `INSERT INTO drift_events (host_id, kind, severity, rule_id, direction, before, after, observed_at, received_at)
       SELECT r.host_id, 'compliance', r.severity, r.rule_id, 'regression', '"pass"'::jsonb, '"fail"'::jsonb, t.at, t.at
       FROM (SELECT host_id, rule_id, severity, row_number() OVER () AS n FROM rule_results WHERE status = 'fail' LIMIT $1::int) r
       CROSS JOIN LATERAL (SELECT now() - make_interval(secs => r.n * 86400.0 / $1::int) AS at) t`,
      [drift],
    );
  }
  await db.query('ANALYZE');
  const count = async (table) => (await db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
  return {
    hosts: await count('hosts'),
    verdicts: await count('rule_results'),
    facts: await count('host_facts'),
    drift: await count('drift_events'),
  };
}
