import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledContent } from '@plumbline/benchmarks/content';
import { evaluate, type Result } from '@plumbline/benchmarks/engine';
import type { Rule } from '@plumbline/benchmarks/schema';
import { collectFacts } from '../src/collectors/index';
import { copyFixtureTree } from './support/host-trees';
import {
  EXCLUDED,
  RUNTIME_FAMILIES,
  SET_VALUES,
  evaluateWithOscap,
  oscapMissing as missing,
  prepareOscap,
  type OscapSetup,
} from './support/oscap';

/**
 * Cross-check against OpenSCAP: each Debian/Ubuntu fixture tree is scanned by `oscap` with the SSG
 * Ubuntu 22.04 datastream (ssg-debderived, the richest Debian-family content), restricted to the SSG
 * rules our content references, and every rule where both sides say pass or fail is compared. A
 * disagreement fails the test unless the rule documents it (`oscap: { differs: true, why }`).
 *
 * Our verdict on a rule is the conjunction of its `references.ssg` (all pass, or one fails), except
 * for the `oscap.alternatives` groups, of which one member passing is enough. A referenced SSG rule
 * that is excluded below, not in the datastream, or not pass/fail leaves its part unknown, and a
 * rule whose OpenSCAP verdict stays unknown is not compared.
 *
 * How OpenSCAP is made to read a tree offline, and which SSG rules are left out because they read
 * the scanning machine: ./oscap.ts.
 */

const HOSTS = ['debian12-default', 'debian12-hardened', 'ubuntu-2204', 'ubuntu-2404', 'edge-mqtt'];
const now = new Date('2026-11-22T00:00:00Z');
const CI = process.env.CI === 'true';
const HOST_TIMEOUT_MS = 60_000;

type Verdict = 'pass' | 'fail' | null;
interface Comparison {
  rule: Rule;
  ours: 'pass' | 'fail';
  oscap: 'pass' | 'fail';
  parts: Record<string, string>;
  evidence: Result['evidence'];
}
interface HostReport {
  host: string;
  compared: number;
  agreed: number;
  documented: Comparison[];
  undocumented: Comparison[];
  notCompared: number;
  seconds: number;
}

// eslint-disable-next-line no-console -- say why the cross-check did not run
if (missing && !CI) console.warn(`OpenSCAP cross-check skipped: ${missing}`);

/** OpenSCAP's verdict on one of our rules, from the verdicts of the SSG rules it references. */
function oscapVerdict(rule: Rule, results: Map<string, string>): Verdict {
  const part = (id: string): Verdict => {
    if (EXCLUDED.has(id)) return null;
    const r = results.get(id);
    return r === 'pass' || r === 'fail' ? r : null;
  };
  const alternatives = rule.oscap?.alternatives ?? [];
  const grouped = new Set(alternatives.flat());
  const groups = [...alternatives, ...rule.references.ssg.filter((id) => !grouped.has(id)).map((id) => [id])];
  const verdicts = groups.map((g): Verdict => {
    const v = g.map(part);
    return v.includes('pass') ? 'pass' : v.every((x) => x === 'fail') ? 'fail' : null;
  });
  if (verdicts.includes('fail')) return 'fail';
  return verdicts.length > 0 && verdicts.every((v) => v === 'pass') ? 'pass' : null;
}

describe('OpenSCAP cross-check (SSG Ubuntu 22.04 content on the Debian/Ubuntu fixtures)', () => {
  it.runIf(missing !== null && CI)('has OpenSCAP installed in CI', () => {
    throw new Error(`CI=true but ${missing}: .ci/run installs openscap-scanner ssg-debian ssg-debderived`);
  });

  describe.skipIf(missing !== null)('per host', () => {
    const { rules, byId } = bundledContent();
    const reports: HostReport[] = [];
    let work = '';
    let setup: OscapSetup;

    beforeAll(async () => {
      work = mkdtempSync(path.join(tmpdir(), 'plumbline-oscap-'));
      setup = await prepareOscap(work, rules, HOST_TIMEOUT_MS);
    }, HOST_TIMEOUT_MS);

    afterAll(() => {
      if (work) rmSync(work, { recursive: true, force: true });
      if (!reports.length) return;
      const pad = (s: string | number, n: number) => String(s).padStart(n);
      const lines = [
        `OpenSCAP cross-check: ${setup.versions} (Ubuntu 22.04 datastream), ${setup.selected.length} SSG rules evaluated (${setup.referenced.length - setup.selected.length} excluded)`,
        `${'host'.padEnd(18)}${pad('compared', 9)}${pad('agreed', 8)}${pad('documented', 11)}${pad('undocumented', 13)}${pad('not compared', 13)}${pad('oscap s', 8)}`,
        ...reports.map(
          (r) =>
            `${r.host.padEnd(18)}${pad(r.compared, 9)}${pad(r.agreed, 8)}${pad(r.documented.length, 11)}${pad(r.undocumented.length, 13)}${pad(r.notCompared, 13)}${pad(r.seconds.toFixed(1), 8)}`,
        ),
        'documented disagreements (rule: ours/OpenSCAP on hosts):',
      ];
      const byRule = new Map<string, { c: Comparison; hosts: string[] }>();
      for (const r of reports)
        for (const c of r.documented) byRule.set(c.rule.id, { c, hosts: [...(byRule.get(c.rule.id)?.hosts ?? []), r.host] });
      for (const [id, { c, hosts }] of [...byRule].sort()) {
        const ssg = Object.entries(c.parts)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ');
        lines.push(`  ${id}: ${c.ours}/${c.oscap} on ${hosts.join(', ')} (${ssg})`);
      }
      const quiet = rules.filter((r) => r.oscap?.differs && !byRule.has(r.id)).map((r) => r.id);
      if (quiet.length) lines.push(`documented, but no disagreement on these fixtures: ${quiet.join(', ')}`);
      // eslint-disable-next-line no-console -- the agreement figures are this test's report
      console.log(lines.join('\n'));
    });

    it('excludes every referenced SSG rule of a family that reads the running system', () => {
      expect(setup.selected.length).toBeGreaterThan(150);
      expect(setup.referenced.filter((id) => RUNTIME_FAMILIES.test(id) && !EXCLUDED.has(id))).toEqual([]);
    });

    it.each(HOSTS)(
      '%s',
      async (host) => {
        const dir = path.join(work, host);
        const ours = copyFixtureTree(host, path.join(dir, 'ours'));
        const scanned = copyFixtureTree(host, path.join(dir, 'oscap'));
        const { xml, results, seconds } = await evaluateWithOscap(setup, scanned, dir, HOST_TIMEOUT_MS - 10_000);
        expect(results.size).toBeGreaterThan(0);
        for (const [k, v] of Object.entries(SET_VALUES))
          expect(xml, `the tailoring sets ${k}`).toContain(`idref="xccdf_org.ssgproject.content_value_${k}">${v}<`);

        const facts = await collectFacts({ root: ours, live: false, log: pino({ level: 'silent' }) });
        const report: HostReport = { host, compared: 0, agreed: 0, documented: [], undocumented: [], notCompared: 0, seconds };
        for (const r of evaluate(rules, facts, { now })) {
          const rule = byId.get(r.ruleId)!;
          if (!rule.references.ssg.length) continue;
          const verdict = oscapVerdict(rule, results);
          if ((r.status !== 'pass' && r.status !== 'fail') || verdict === null) {
            report.notCompared++;
            continue;
          }
          report.compared++;
          if (r.status === verdict) {
            report.agreed++;
            continue;
          }
          const parts = Object.fromEntries(
            rule.references.ssg.map((id) => [id, EXCLUDED.has(id) ? 'excluded' : (results.get(id) ?? 'not in datastream')]),
          );
          const c: Comparison = { rule, ours: r.status, oscap: verdict, parts, evidence: r.evidence };
          (rule.oscap?.differs ? report.documented : report.undocumented).push(c);
        }
        reports.push(report);

        const undocumented = report.undocumented.map(
          (c) =>
            `${c.rule.id}: ours ${c.ours}, OpenSCAP ${c.oscap} (${Object.entries(c.parts)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')})\n` + c.evidence.map((e) => `    expected ${e.expected}; observed ${e.observed} [${e.source}]`).join('\n'),
        );
        expect(
          undocumented,
          `${host}: disagreements with OpenSCAP that the rule does not document (oscap.differs + why); fix our rule or document why it is right`,
        ).toEqual([]);
        // Guards against a silent breakage (platform bypass or package probe) that leaves nothing to compare.
        expect(report.compared).toBeGreaterThanOrEqual(60);
      },
      HOST_TIMEOUT_MS,
    );
  });
});
