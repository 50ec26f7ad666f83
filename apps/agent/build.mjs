// Bundles the agent into one file with its dependencies, ready to run on Node >= 20
// (and to be wrapped as a single executable later).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli.ts'],
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
  plugins: [
    {
      // zod ships error messages in ~45 languages; the agent speaks English. Every other
      // locale becomes an empty module, which keeps ~300 KB out of the agent's memory.
      name: 'zod-english-only',
      setup(b) {
        b.onResolve({ filter: /^\.\/[a-z]{2}(-[A-Za-z]+)?\.js$/ }, (args) =>
          /zod[/\\]v4[/\\]locales$/.test(args.resolveDir) && args.path !== './en.js'
            ? { path: args.path, namespace: 'empty-locale' }
            : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'empty-locale' }, () => ({ contents: 'export default () => ({});', loader: 'js' }));
      },
    },
  ],
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
