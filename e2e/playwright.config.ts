import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests against the real built stack (server + agent + dashboard), in the
 * system Chromium: Playwright cannot download its own browsers on these machines.
 * Build first: `pnpm -s build` at the repository root.
 */
export default defineConfig({
  testDir: './tests',
  globalSetup: './support/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  retries: 0,
  // The root test script collects a JSON summary to print one closing line over all runners.
  reporter: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME
    ? [['list'], ['json', { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME }]]
    : 'list',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  outputDir: './test-results',
  use: {
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.PLUMBLINE_E2E_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    },
    viewport: { width: 1440, height: 900 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
