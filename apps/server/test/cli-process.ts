import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The built server CLI (`pnpm -s build` first), run as a separate process as an operator runs it. */
export const SERVER_CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `plumbline ARGS` with only the given Plumbline settings in its environment (the test
 * runner's own DATABASE_URL or data directory never leak in).
 */
export function runCli(args: string[], env: Record<string, string | undefined>): Promise<CliRun> {
  if (!existsSync(SERVER_CLI)) throw new Error(`${SERVER_CLI} is missing: run pnpm -s build first`);
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|PLUMBLINE_|PORT$|HOST$)/.test(k)));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [SERVER_CLI, ...args],
      { env: { ...clean, LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** The Plumbline settings that point the CLI at a test database. */
export function cliEnv(config: { databaseUrl: string | undefined; dataDir: string }): Record<string, string | undefined> {
  return { PLUMBLINE_DATA_DIR: config.dataDir, ...(config.databaseUrl && { DATABASE_URL: config.databaseUrl }) };
}
