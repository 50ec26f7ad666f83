import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
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
export function runCli(args: string[], env: Record<string, string | undefined>, stdin?: string): Promise<CliRun> {
  if (!existsSync(SERVER_CLI)) throw new Error(`${SERVER_CLI} is missing: run pnpm -s build first`);
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [SERVER_CLI, ...args],
      { env: { ...cleanEnv(), LOG_LEVEL: 'warn', ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin?.end(stdin ?? '');
  });
}

/** The test runner's environment without its Plumbline settings (DATABASE_URL, data directory, port). */
function cleanEnv(): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(DATABASE_URL|PLUMBLINE_|PORT$|HOST$)/.test(k)));
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * `plumbline serve` as a separate process, as `pnpm start` runs it, with only the given
 * settings; resolves once it answers /healthz on PORT. `stop` ends it and waits for its exit.
 */
export async function serveCli(env: Record<string, string>, timeoutMs = 120_000): Promise<{ url: string; stop: () => Promise<void> }> {
  if (!existsSync(SERVER_CLI)) throw new Error(`${SERVER_CLI} is missing: run pnpm -s build first`);
  const url = `http://127.0.0.1:${env.PORT}`;
  const child = spawn(process.execPath, [SERVER_CLI, 'serve'], { env: { ...cleanEnv(), LOG_LEVEL: 'warn', ...env }, stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`plumbline serve exited with ${child.exitCode} before answering`);
    if ((await fetch(`${url}/healthz`).catch(() => null))?.ok) return { url, stop };
    if (Date.now() > until) {
      await stop();
      throw new Error(`plumbline serve did not answer at ${url} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** The Plumbline settings that point the CLI at a test database. */
export function cliEnv(config: { databaseUrl: string | undefined; dataDir: string }): Record<string, string | undefined> {
  return { PLUMBLINE_DATA_DIR: config.dataDir, ...(config.databaseUrl && { DATABASE_URL: config.databaseUrl }) };
}
