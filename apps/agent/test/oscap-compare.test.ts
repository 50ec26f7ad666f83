import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledContent } from '@plumbline/benchmarks/content';
import { copyFixtureTree, fixtureRoot } from './support/host-trees';
import { EXCLUDED, evaluateWithOscap, oscapMissing, prepareOscap, type OscapSetup } from './support/oscap';

/**
 * `scan --compare-oscap`: a real OpenSCAP result (oscap xccdf eval with the SSG Ubuntu 22.04
 * datastream on a copy of a fixture tree, as the cross-check runs it) compared with our scan of the
 * same tree, as XCCDF and as ARF; and the files it must refuse with exit 2 and one line.
 */

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const CI = process.env.CI === 'true';
const TIMEOUT_MS = 90_000;
/** Each of these tests runs several scans; the machine may be busy. */
const SCANS_TIMEOUT_MS = 120_000;
const work = mkdtempSync(path.join(tmpdir(), 'plumbline-oscap-compare-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const agent = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
const file = (name: string, text: string) => {
  const f = path.join(work, name);
  writeFileSync(f, text);
  return f;
};

interface JsonComparison {
  host: { hostname: string };
  oscap: { format: string; benchmark: string; target: string; ruleResults: number };
  summary: { compared: number; agree: number; differ: number; documented: number; notCompared: number; unmapped: number };
  rules: {
    ruleId: string;
    outcome: 'agree' | 'differ' | 'not-compared';
    ours: string;
    oscap: string | null;
    ssg: Record<string, string>;
    evidence: { expected: string; observed: string }[];
    documented: boolean;
    why: string | null;
  }[];
}

const TEST_RESULT = (body: string, benchmark = 'xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04') => `<?xml version="1.0"?>
<TestResult xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.open-scap_testresult_x" start-time="2026-12-01T10:00:00+00:00" end-time="2026-12-01T10:00:05+00:00">
  <benchmark href="ssg-ubuntu2204-ds.xml" id="${benchmark}"/>
  <target>deb12-default</target>
  ${body}
</TestResult>`;
const RR = (id: string, result: string) =>
  `<rule-result idref="xccdf_org.ssgproject.content_rule_${id}" role="full" time="2026-12-01T10:00:01+00:00"><result>${result}</result></rule-result>`;

describe('scan --compare-oscap refuses what is not an SSG result (exit 2, one line, before scanning)', () => {
  const root = fixtureRoot('debian12-default');
  it.each([
    ['plain text', 'not xml at all\n', /not well-formed XML/],
    ['an empty file', '', /not well-formed XML/],
    ['truncated XML', TEST_RESULT(RR('sshd_disable_root_login', 'fail')).slice(0, 300), /not well-formed XML/],
    ['an HTML report', '<html><body><p>OpenSCAP report</p></body></html>', /not an OpenSCAP result: the document is <html>/],
    [
      'an XCCDF 1.1 result',
      '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.1" id="b"><TestResult id="t"/></Benchmark>',
      /XCCDF 1\.1/,
    ],
    [
      'a benchmark without results',
      '<Benchmark xmlns="http://checklists.nist.gov/xccdf/1.2" id="xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04"/>',
      /no TestResult in this XCCDF Benchmark/,
    ],
    [
      'another benchmark (CIS-CAT ids)',
      TEST_RESULT(
        '<rule-result idref="xccdf_org.cisecurity.benchmarks_rule_5.2.10_Ensure_SSH_root_login_is_disabled"><result>fail</result></rule-result>',
        'xccdf_org.cisecurity.benchmarks_benchmark_1.0.0_CIS_Ubuntu_Linux_22.04_LTS_Benchmark',
      ),
      /a result of benchmark xccdf_org\.cisecurity\.benchmarks_benchmark_1\.0\.0_CIS_Ubuntu_Linux_22\.04_LTS_Benchmark, not of SCAP Security Guide content/,
    ],
    [
      'an SSG result none of whose rules we reference',
      TEST_RESULT(RR('package_gnome-initial-setup_removed', 'pass')),
      /none of the 1 evaluated rule-results .* is an SSG rule that a Plumbline rule references/,
    ],
  ])('%s', (_name, text, message) => {
    const f = file('refused.xml', text);
    const r = agent('scan', '--root', root, '--compare-oscap', f);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
  });

  it(
    'a missing file, and options a comparison cannot honour',
    () => {
      const missing = agent('scan', '--root', root, '--compare-oscap', path.join(work, 'nope.xml'));
      expect(missing.status).toBe(2);
      expect(missing.stderr).toContain('cannot read');
      const f = file('ok.xml', TEST_RESULT(RR('sshd_disable_root_login', 'pass')));
      for (const extra of [
        ['--format', 'xccdf'],
        ['--remediation', 'bash'],
        ['--fail-under', '90'],
      ]) {
        const r = agent('scan', '--root', root, '--compare-oscap', f, ...extra);
        expect(r.status, extra.join(' ')).toBe(2);
        expect(r.stderr).toMatch(/--compare-oscap/);
      }
    },
    SCANS_TIMEOUT_MS,
  );
});

describe('scan --compare-oscap with a hand-made TestResult', () => {
  it(
    'lists agreements and differences with our evidence and the documented why; json too',
    () => {
      const f = file(
        'hand.xml',
        TEST_RESULT(
          [
            RR('sshd_disable_root_login', 'pass'),
            RR('sshd_disable_x11_forwarding', 'pass'),
            RR('set_password_hashing_algorithm_logindefs', 'fail'),
            RR('package_telnet_removed', 'notselected'),
            RR('sshd_disable_empty_passwords', 'error'),
          ].join('\n'),
        ),
      );
      const json = agent('scan', '--root', fixtureRoot('debian12-default'), '--compare-oscap', f, '--format', 'json');
      expect(json.stderr).toBe('');
      expect(json.status).toBe(0);
      const c = JSON.parse(json.stdout) as JsonComparison;
      expect(c.host.hostname).toBe('deb12-default');
      expect(c.oscap.ruleResults).toBe(4); // notselected is not a result
      const by = new Map(c.rules.map((r) => [r.ruleId, r]));
      // The SSG rule with an error decides nothing.
      expect(by.get('plb-ssh-permit-empty-passwords')?.outcome).toBe('not-compared');
      const hashing = [...by.values()].find((r) => 'set_password_hashing_algorithm_logindefs' in r.ssg)!;
      expect(hashing.oscap).toBe('fail');
      expect(c.summary.compared).toBe(c.summary.agree + c.summary.differ);
      for (const r of c.rules.filter((x) => x.outcome === 'differ')) {
        expect(r.evidence.length, r.ruleId).toBeGreaterThan(0);
        expect(r.documented ? r.why : 'no why needed').toBeTruthy();
      }

      const table = agent('scan', '--root', fixtureRoot('debian12-default'), '--compare-oscap', f);
      expect(table.status).toBe(0);
      expect(table.stdout).toContain('sshd_disable_root_login');
      expect(table.stdout).toMatch(/\d+ compared: \d+ agree, \d+ differ \(\d+ documented\)/);
      if (hashing.outcome === 'differ') expect(table.stdout).toContain(`why (documented): ${hashing.why}`);
    },
    SCANS_TIMEOUT_MS,
  );
});

describe.skipIf(oscapMissing !== null && !CI)(
  'scan --compare-oscap with real OpenSCAP output (SSG Ubuntu 22.04 on debian12-default)',
  () => {
    let setup: OscapSetup;
    let xccdf = '';
    let arf = '';
    let tree = '';

    beforeAll(async () => {
      if (oscapMissing) throw new Error(`CI=true but ${oscapMissing}`);
      const { rules } = bundledContent();
      setup = await prepareOscap(work, rules, TIMEOUT_MS);
      const dir = path.join(work, 'debian12-default');
      tree = copyFixtureTree('debian12-default', path.join(dir, 'ours'));
      const scanned = copyFixtureTree('debian12-default', path.join(dir, 'oscap'));
      const out = await evaluateWithOscap(setup, scanned, dir, TIMEOUT_MS - 10_000, { arf: true });
      xccdf = file('real-results.xml', out.xml);
      arf = file('real-arf.xml', out.arf!);
    }, TIMEOUT_MS);

    it(
      'compares every rule the cross-check compares; the only undocumented differences read the scanning machine',
      () => {
        const r = agent('scan', '--root', tree, '--compare-oscap', xccdf, '--format', 'json');
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const c = JSON.parse(r.stdout) as JsonComparison;
        expect(c.oscap.format).toBe('xccdf');
        expect(c.oscap.benchmark).toBe('xccdf_org.ssgproject.content_benchmark_UBUNTU_22-04');
        expect(c.summary.compared).toBeGreaterThanOrEqual(60);
        expect(c.summary.agree).toBeGreaterThan(c.summary.differ);
        // Every SSG rule OpenSCAP evaluated was selected because one of our rules references it.
        expect(c.summary.unmapped).toBe(0);
        const undocumented = c.rules
          .filter((x) => x.outcome === 'differ' && !x.documented)
          .filter((x) => !Object.keys(x.ssg).some((id) => EXCLUDED.has(id)))
          .map((x) => `${x.ruleId}: ours ${x.ours}, OpenSCAP ${x.oscap} ${JSON.stringify(x.ssg)}`);
        expect(undocumented).toEqual([]);
        for (const d of c.rules.filter((x) => x.outcome === 'differ')) expect(d.evidence.length, d.ruleId).toBeGreaterThan(0);
      },
      SCANS_TIMEOUT_MS,
    );

    it(
      'reads the ARF report of the same run the same way',
      () => {
        const fromXccdf = JSON.parse(agent('scan', '--root', tree, '--compare-oscap', xccdf, '--format', 'json').stdout) as JsonComparison;
        const r = agent('scan', '--root', tree, '--compare-oscap', arf, '--format', 'json');
        expect(r.status).toBe(0);
        const c = JSON.parse(r.stdout) as JsonComparison;
        expect(c.oscap.format).toBe('arf');
        expect(c.summary).toEqual(fromXccdf.summary);
        expect(c.rules.map((x) => [x.ruleId, x.outcome])).toEqual(fromXccdf.rules.map((x) => [x.ruleId, x.outcome]));
        const table = agent('scan', '--root', tree, '--compare-oscap', arf);
        expect(table.stdout).toContain(`${c.summary.compared} compared: ${c.summary.agree} agree, ${c.summary.differ} differ`);
      },
      SCANS_TIMEOUT_MS,
    );
  },
);
