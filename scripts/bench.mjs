// `pnpm bench`: runs every benchmark script (apps/*/bench/*.mjs, packages/*/bench/*.mjs),
// echoes their JSON lines ({"name","value","unit","target","ok"}), prints a table, and keeps
// the figures under bench/results/<timestamp>.jsonl so runs can be compared over time.
// Build first (`pnpm build`): benchmarks measure the built artifacts.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packagedTarball } from '../apps/agent/bench/packaged.mjs';

const repo = fileURLToPath(new URL('..', import.meta.url));
const only = process.argv.slice(2);
const scripts = [];
for (const group of ['apps', 'packages']) {
  for (const pkg of readdirSync(path.join(repo, group))) {
    const dir = path.join(repo, group, pkg, 'bench');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).sort()) if (f.endsWith('.mjs')) scripts.push({ file: path.join(dir, f), args: [] });
  }
}
// The packaged executable (its own Node runtime) as well, when `pnpm build:agent` has built one.
if (packagedTarball(repo)) {
  for (const f of ['footprint.mjs', 'scan.bench.mjs']) scripts.push({ file: path.join(repo, 'apps/agent/bench', f), args: ['--packaged'] });
}
// The fleet simulator at a small scale, so every `pnpm bench` has its figures; full-scale
// runs stay `pnpm bench:fleet --agents N`.
scripts.push({ file: path.join(repo, 'bench/fleet/run.mjs'), args: ['--agents', '1000', '--duration', '20s'] });
// Matched against the path inside the repository: the checkout's own path may contain any word.
const selected = scripts.filter((s) => !only.length || only.some((o) => path.relative(repo, s.file).includes(o)));
if (!selected.length) {
  console.log('no benchmarks yet');
  process.exit(0);
}

const figures = [];
let failed = 0;
for (const { file, args } of selected) {
  const rel = [path.relative(repo, file), ...args].join(' ');
  process.stderr.write(`running ${rel}\n`);
  const r = spawnSync(process.execPath, [file, ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 15 * 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const fig = JSON.parse(line);
      figures.push({ ...fig, bench: rel });
      console.log(line);
    } catch {
      // not a figure
    }
  }
  if (r.status !== 0) {
    failed++;
    process.stderr.write(`${rel} failed (exit ${r.status}):\n${r.stderr.split('\n').slice(-8).join('\n')}\n`);
  }
}

const rows = figures.map((f) => [f.name, `${f.value} ${f.unit}`, String(f.target ?? '-'), f.ok ? 'ok' : 'MISSED']);
const widths = [0, 1, 2, 3].map((i) => Math.max(...[['figure', 'value', 'target', ''], ...rows].map((r) => r[i].length)));
const fmt = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log(`\n${fmt(['figure', 'value', 'target', ''])}\n${rows.map(fmt).join('\n')}`);

mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
writeFileSync(
  path.join(repo, 'bench/results', `${stamp}.jsonl`),
  figures.map((f) => JSON.stringify({ ...f, at: stamp })).join('\n') + '\n',
);
process.exit(failed ? 1 : 0);
