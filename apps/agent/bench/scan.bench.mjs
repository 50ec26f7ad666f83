// `plumbline-agent scan` against OpenSCAP over comparable rules: the SSG rules our content references
// (minus those whose probes read the running system in a tree), evaluated by `oscap xccdf eval` with
// the same datastream preparation as the cross-check test (test/support/oscap.ts). Figures, one JSON line
// each: scan wall time of this machine (target <= 1000 ms), the same for a fixture tree, and the
// speed-up over oscap on both (target >= 10). Medians of five runs after one warm-up.
// `--packaged`: the same with the executable `pnpm build:agent` packaged (its own Node runtime,
// see packaged.mjs) instead of dist/cli.js on this machine's Node, the figures named so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { extractPackaged } from './packaged.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const cli = path.join(repo, 'apps/agent/dist/cli.js');
const packaged = process.argv.includes('--packaged');
const of = packaged ? ', packaged executable' : '';
const RUNS = 5;
const figure = (name, value, unit, target, ok, note) =>
  console.log(JSON.stringify({ name, value: Math.round(value * 10) / 10, unit, target, ok, ...(note ? { note } : {}) }));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

if (!existsSync(cli)) execFileSync('pnpm', ['-s', 'build'], { cwd: repo, stdio: 'ignore' });
const work = mkdtempSync(path.join(tmpdir(), 'plumbline-bench-scan-'));
const agent = packaged ? [extractPackaged(repo, work)] : [process.execPath, cli];
/** Median wall time of `scan` (all rules), after a warm-up run that fills the page cache. */
function scanMs(extra) {
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(agent[0], [...agent.slice(1), 'scan', '--format', 'json', ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`scan ${extra.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) times.push(performance.now() - t);
  }
  return median(times);
}

const oscap = await tsImport('../test/support/oscap.ts', import.meta.url);
const { copyFixtureTree } = await tsImport('../test/support/host-trees.ts', import.meta.url);
const { bundledContent } = await tsImport('@plumbline/benchmarks/content', import.meta.url);

try {
  const fixture = 'debian12-default';
  const ours = copyFixtureTree(fixture, path.join(work, 'ours'));
  const live = scanMs([]);
  const tree = scanMs(['--root', ours]);
  figure(`scan wall time${of} (this machine, every rule)`, live, 'ms', '<= 1000', live <= 1000);
  figure(`scan wall time${of} (${fixture} tree, every rule)`, tree, 'ms', '<= 1000', tree <= 1000);

  if (oscap.oscapMissing) {
    figure(`scan speed-up over oscap${of} (this machine)`, 0, 'x', '>= 10', false, `skipped: ${oscap.oscapMissing}`);
  } else {
    const setup = await oscap.prepareOscap(work, bundledContent().rules, 120_000);
    const note = `${setup.versions}, ${setup.selected.length} comparable SSG rules`;
    const oscapMs = async (root) => {
      const times = [];
      for (let i = 0; i <= RUNS; i++) {
        // OpenSCAP writes into the tree it scans: a fresh copy each run.
        const scanned = root && copyFixtureTree(root, path.join(work, `oscap-${i}`));
        const r = await oscap.evaluateWithOscap(setup, scanned, path.join(work, `run-${i}`), 300_000);
        if (i > 0) times.push(r.seconds * 1000);
      }
      return median(times);
    };
    const oLive = await oscapMs(null);
    figure('oscap xccdf eval wall time (this machine, comparable rules)', oLive, 'ms', 'reference', true, note);
    figure(`scan speed-up over oscap${of} (this machine)`, oLive / live, 'x', '>= 10', oLive / live >= 10, note);
    const oTree = await oscapMs(fixture);
    figure(`oscap xccdf eval wall time (${fixture} tree, comparable rules)`, oTree, 'ms', 'reference', true, note);
    figure(`scan speed-up over oscap${of} (${fixture} tree)`, oTree / tree, 'x', '>= 10', oTree / tree >= 10, note);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
