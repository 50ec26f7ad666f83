// Bundles the server into dist/: workspace packages (TypeScript sources) are bundled in,
// everything from node_modules stays external and is loaded at run time. The API route files
// are entry points of their own, at their source paths (dist/routes/api/<resource>/*.js), as
// @fastify/autoload finds them on disk at start; code they share with the CLI goes to chunks
// beside dist/cli.js, so every module (and class identity) exists once.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

// Chunk names change with their content: start from an empty dist/.
rmSync('dist', { recursive: true, force: true });

const routeFiles = readdirSync('src/routes/api', { recursive: true, withFileTypes: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
  .map((e) => join(e.parentPath, e.name));

await build({
  entryPoints: ['src/cli.ts', ...routeFiles],
  outdir: 'dist',
  outbase: 'src',
  bundle: true,
  splitting: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [
    {
      name: 'externals',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith('@plumbline/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
