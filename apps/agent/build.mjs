// Builds the agent into dist/, ready to run on Node >= 20 (and to be wrapped as a single
// executable later, scripts/build-agent.mjs):
// - main.js and chunks/: the agent bundled with its dependencies, split so that each command
//   loads only what it uses (`run` never loads the rules, `scan` never the WebSocket client);
// - agent.cjs and agent.cjs.cache: the same sources as one CommonJS file, with the V8 code
//   cache of a scan of a fixture tree, for the one-shot `scan` and `facts`;
// - cli.js: the entry that picks one of the two (src/launch.ts).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { bundleForSea, zodEnglishOnly } from './packaging/sea.mjs';

const dist = path.resolve(import.meta.dirname, 'dist');
// Files are overwritten in place, never the directory removed: tests of other files may be
// running the built agent while one of them rebuilds it. V8 accepts a code cache for a
// source of the same length, so the old cache goes before the bundle changes.
rmSync(path.join(dist, 'agent.cjs.cache'), { force: true });

await build({
  entryPoints: { main: 'src/cli.ts' },
  outdir: 'dist',
  // Code splitting lets `scan` load the rules only when it runs.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
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
});

await build({
  entryPoints: ['src/launch.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'warning',
  external: ['./main.js'],
});

// The same bundle the single executable runs (packaging/sea.mjs), for this Node.
await bundleForSea(path.join(dist, 'agent.cjs'), { target: 'node20' });
// A scan of a fixture tree compiles what every scan runs; its code cache is kept with the bundle.
execFileSync(
  process.execPath,
  [path.join(dist, 'cli.js'), 'scan', '--root', path.resolve(import.meta.dirname, 'fixtures/hosts/debian12-default'), '--format', 'json'],
  { env: { ...process.env, PLUMBLINE_WRITE_CODE_CACHE: '1' }, stdio: 'ignore' },
);
