import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The dashboard's own import alias, so its components can be tested here too.
  resolve: { alias: { '@': fileURLToPath(new URL('./apps/dashboard/src', import.meta.url)) } },
  test: {
    include: [
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'apps/*/scripts/**/*.test.ts',
      'packages/*/src/**/*.test.ts',
      'apps/dashboard/src/**/*.test.tsx',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', 'e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // PGlite data dirs and real servers are heavy: files run in parallel, tests in a file do not.
    pool: 'forks',
    // @fastify/autoload imports the server's route files itself: run it through vitest, so
    // those imports are transformed (TypeScript) and share the test's module graph.
    server: { deps: { inline: ['@fastify/autoload'] } },
  },
});
