import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureRoot } from '../test/support/host-trees';

// The built CLI, as `plumbline-agent` runs it: each command loads only what it needs.
const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'plumbline-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const oscapMissing = spawnSync('oscap', ['--version']).error ? 'oscap is not installed (apt-get install openscap-scanner)' : null;
const agent = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });

describe('plumbline-agent', () => {
  it('scan of a tree prints every rule with its verdict and exits 0', () => {
    const r = agent('scan', '--root', fixtureRoot('debian12-default'), '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { host: { hostname: string }; results: { ruleId: string; status: string }[] };
    expect(report.host.hostname).toBe('deb12-default');
    expect(report.results.length).toBeGreaterThan(150);
    expect(new Set(report.results.map((x) => x.status))).toContain('fail');
  });

  it('scan and facts from the one-shot bundle say what the split build says', () => {
    // dist/cli.js runs `scan` and `facts` from dist/agent.cjs (with its code cache), every
    // other command from dist/main.js: the two builds of the same sources must agree.
    const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));
    const split = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', timeout: 30_000 });
    const root = fixtureRoot('debian12-hardened');
    const facts = [agent('facts', '--root', root), split('facts', '--root', root)];
    expect(facts.map((r) => r.status)).toEqual([0, 0]);
    expect(JSON.parse(facts[0]!.stdout)).toEqual(JSON.parse(facts[1]!.stdout));
    const verdicts = [agent('scan', '--root', root, '--format', 'json'), split('scan', '--root', root, '--format', 'json')].map((r) => {
      expect(r.status).toBe(0);
      return (JSON.parse(r.stdout) as { results: { ruleId: string; status: string }[] }).results.map((x) => `${x.ruleId} ${x.status}`);
    });
    expect(verdicts[0]).toEqual(verdicts[1]);
    expect(agent('--version').stdout.trim()).toBe(split('--version').stdout.trim());
  });

  it('scan --format xccdf|arf prints results that OpenSCAP validates (skipped without oscap, failing in CI)', () => {
    if (oscapMissing && process.env.CI === 'true') throw new Error(`CI=true but ${oscapMissing}`);
    for (const [format, check] of [
      ['xccdf', ['xccdf', 'validate']],
      ['arf', ['ds', 'rds-validate']],
    ] as const) {
      const r = agent('scan', '--root', fixtureRoot('debian12-default'), '--profile', 'cis-l1-server', '--format', format);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('<TestResult');
      expect(r.stdout).toContain('<profile idref="xccdf_dev.plumbline_profile_cis-l1-server"/>');
      expect(r.stdout).toMatch(/<rule-result idref="xccdf_dev\.plumbline_rule_plb-[^"]+"[^>]*>\s*<result>fail<\/result>/);
      if (oscapMissing) continue;
      const file = path.join(work, `scan.${format}.xml`);
      writeFileSync(file, r.stdout);
      const v = spawnSync('oscap', [...check, file], { encoding: 'utf8' });
      expect(`${v.stdout}${v.stderr}`).not.toMatch(/error/i);
      expect(v.status).toBe(0);
    }
  });

  it('run without a credential or a token exits 1 with one line, before any connection', () => {
    const r = agent(
      'run',
      '--server',
      'http://127.0.0.1:9',
      '--state-dir',
      path.join(work, 'state'),
      '--root',
      fixtureRoot('debian12-default'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(`plumbline-agent: no credential in ${path.join(work, 'state')} and no enrollment token given (--token-file)\n`);
  });

  it('run reads its settings file with the same checks and messages as install writes them', () => {
    // `run` starts from its own bundle (dist/daemon.js), which validates with zod's small API.
    const config = path.join(work, 'agent.yaml');
    writeFileSync(config, 'server: https://p.example.test\nbogus: 1\ninterval: 5x\n');
    const r = agent('run', '--config', config);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `plumbline-agent: ${config}: interval: must be a duration of at least 1s, e.g. 30s or 5m; file: Unrecognized key: "bogus"\n`,
    );
    expect(agent('run', '--help').stdout).toContain('--config <file>');
  });

  it('a bad flag value exits 2 naming the flag', () => {
    const r = agent('scan', '--format', 'yaml');
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("plumbline-agent: --format: 'yaml' is not one of table, json, junit, xccdf, arf\n");
  });
});
