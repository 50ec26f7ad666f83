// Builds the agent into dist/, ready to run on Node >= 20 (and to be wrapped as a single
// executable later, scripts/build-agent.mjs):
// - main.js and chunks/: the agent bundled with its dependencies, split so that each command
//   loads only what it uses (`scan` never loads the WebSocket client);
// - agent.cjs and agent.cjs.cache: the same sources as one CommonJS file, with the V8 code
//   cache of a scan of a fixture tree, for the one-shot `scan` and `facts`;
// - daemon.js: `run` alone, the long-running agent, with nothing of the other commands (see
//   src/run-command.ts);
// - helper-entry.cjs, helper.cjs and helper.cjs.cache: the helper process `run` starts for
//   each collection (`collect`, `check-spool`; src/collection/helper-main.ts), with its code cache;
// - cli.js: the entry that picks one of them (src/launch.ts).
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleForSea, CODE_CACHE_RUNS, zodEnglishOnly } from './packaging/sea.mjs';

const dist = path.resolve(import.meta.dirname, 'dist');
// Files are overwritten in place, never the directory removed: tests of other files may be
// running the built agent while one of them rebuilds it. V8 accepts a code cache for a
// source of the same length, so the old cache goes before the bundle changes.
for (const cache of ['agent.cjs.cache', 'helper.cjs.cache']) rmSync(path.join(dist, cache), { force: true });

/** The agent's ES modules: bundled, minified, with a `require` for the CommonJS they bundle. */
const esmBundle = {
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  minify: true,
  logLevel: 'warning',
  // ws optionally loads native helpers; without them it uses its pure-JS code paths.
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [zodEnglishOnly],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
};

await build({
  ...esmBundle,
  entryPoints: { main: 'src/cli.ts' },
  // Code splitting lets `scan` load the rules only when it runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
});

// One file of its own: a bundle shared with the other commands would share zod's core with
// them, and this process keeps whatever it loads for as long as it runs.
const daemon = await build({ ...esmBundle, entryPoints: { daemon: 'src/daemon.ts' }, metafile: true });
// What the helper process is for must stay out of the long-running process.
const heavy = Object.keys(daemon.metafile.inputs).filter((f) =>
  /zod\/v4\/classic|packages\/protocol\/src\/(facts|messages)|src\/collectors\/|src\/scan\//.test(f),
);
if (heavy.length) throw new Error(`dist/daemon.js must not load ${heavy.slice(0, 5).join(', ')}`);

await build({
  entryPoints: ['src/launch.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  external: ['./main.js', './daemon.js'],
});

// The same bundle the single executable runs (packaging/sea.mjs), for this Node.
await bundleForSea(path.join(dist, 'agent.cjs'), { target: 'node20' });
// The helper process of `run` (`collect`, `check-spool`), started for every collection: one
// small file with a code cache, as its start-up is CPU of every cycle.
await build({
  entryPoints: ['src/collection/helper-main.ts'],
  outfile: 'dist/helper.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  external: ['bufferutil', 'utf-8-validate'],
  plugins: [zodEnglishOnly],
});
await build({
  entryPoints: ['src/collection/helper-entry.ts'],
  outfile: 'dist/helper-entry.cjs',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
// A scan (a collection) of a fixture tree compiles what every scan (collection) runs; the code
// cache of that run is kept with the bundle. The runs are the packaged executable's own
// (CODE_CACHE_RUNS). V8 takes a code cache only under the flags it was made with: `scan` runs
// under whatever flags its user has (none, mostly), the helper under those of the service
// (runtime-env.json) and, from dist/, its own (helper-flags.json, see
// src/collection/helper-process.ts).
const helperFlags = JSON.parse(readFileSync(path.resolve(import.meta.dirname, 'helper-flags.json'), 'utf8'));
for (const { bundle, args, env } of CODE_CACHE_RUNS) {
  const flags = bundle === 'helper.cjs' ? helperFlags : [];
  execFileSync(process.execPath, [...flags, path.join(dist, 'cli.js'), ...args], {
    env: { ...process.env, ...env, PLUMBLINE_WRITE_CODE_CACHE: '1' },
    stdio: 'ignore',
  });
}
