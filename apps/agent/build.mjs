// Bundles the agent into one file with its dependencies, ready to run on Node >= 20
// (and to be wrapped as a single executable later).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
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
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
