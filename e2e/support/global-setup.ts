import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeAdvisoryFeeds } from './advisories';
import { FLEET, startFleet, waitForFleet } from './fleet';
import { createHostRoot } from './host-root';
import { AGENT_CLI, freePort, REPO_ROOT, runCli, SERVER_CLI, startProcess, stopProcessGroup, waitForReady } from './processes';
import { ADMIN_EMAIL, ADMIN_PASSWORD, HOSTNAME, publishStack } from './stack';

/**
 * Starts the real stack once for the run: a fresh data dir, an admin user, enrollment
 * tokens, advisory data, `plumbline serve` on a free port, one agent reading a small host root, and the
 * seeded fleet (one agent per fixture host tree), and waits until every host is
 * scored. Returns the teardown, which stops every process group it started.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [file, hint] of [
    [SERVER_CLI, 'apps/server'],
    [AGENT_CLI, 'apps/agent'],
    [resolve(REPO_ROOT, 'apps/dashboard/dist/index.html'), 'apps/dashboard'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${file} is missing: build ${hint} first (pnpm -s build at the repository root)`);
  }

  const tmpDir = await mkdtemp(join(tmpdir(), 'plumbline-e2e-'));
  const logDir = resolve(REPO_ROOT, 'e2e/.stack');
  await rm(logDir, { recursive: true, force: true });
  await mkdir(logDir, { recursive: true });

  const started: ChildProcess[] = [];
  const teardown = async () => {
    // Agents first, so the server does not log them as lost mid-shutdown.
    for (const child of started.reverse()) await stopProcessGroup(child.pid);
    if (process.env.PLUMBLINE_E2E_KEEP) console.log(`[e2e] kept ${tmpDir}`);
    else await rm(tmpDir, { recursive: true, force: true });
  };

  try {
    const port = await freePort();
    const baseURL = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PLUMBLINE_DATA_DIR: join(tmpDir, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      NO_COLOR: '1',
    };

    await runCli([SERVER_CLI, 'user', 'add', '--email', ADMIN_EMAIL, '--role', 'admin', '--password-stdin'], {
      env,
      stdin: `${ADMIN_PASSWORD}\n`,
    });
    const token = (await runCli([SERVER_CLI, 'token', 'create', '--name', 'e2e'], { env })).trim();
    const lateToken = (await runCli([SERVER_CLI, 'token', 'create', '--name', 'e2e-late'], { env })).trim();
    const fleetToken = (await runCli([SERVER_CLI, 'token', 'create', '--name', 'e2e-fleet'], { env })).trim();
    if (!token || /\s/.test(token)) throw new Error(`token create printed more than a token: ${JSON.stringify(token)}`);
    // Only global setup reads the API (to wait for the seeded fleet); the specs go through the UI.
    const apiKey = (await runCli([SERVER_CLI, 'apikey', 'create', '--name', 'e2e-setup', '--role', 'auditor'], { env })).trim();

    // Known-vulnerability data, imported as an air-gapped site does, before the server starts.
    await runCli([SERVER_CLI, 'vulndb', 'import', ...(await writeAdvisoryFeeds(tmpDir))], { env });

    const serverLog = join(logDir, 'server.log');
    const server = startProcess([SERVER_CLI, 'serve'], { env, logFile: serverLog });
    started.push(server);
    await waitForReady(`${baseURL}/readyz`, server, serverLog);

    const hostRoot = join(tmpDir, 'host');
    await createHostRoot(hostRoot, HOSTNAME);
    const agent = startProcess(
      [
        AGENT_CLI,
        'run',
        '--server',
        baseURL,
        '--token',
        token,
        '--root',
        hostRoot,
        '--state-dir',
        join(tmpDir, 'state'),
        '--interval',
        '1s',
      ],
      { env: { ...process.env, NO_COLOR: '1' }, logFile: join(logDir, 'agent.log') },
    );
    started.push(agent);
    const fleet = await startFleet({ baseURL, token: fleetToken, tmpDir, logDir });
    started.push(...fleet);
    await waitForFleet(baseURL, apiKey, [HOSTNAME, ...FLEET.map((h) => h.hostname)], [agent, ...fleet]);

    publishStack({ baseURL, tmpDir, hostRoot, lateToken, logDir });
    console.log(`[e2e] server ${baseURL}, logs in ${logDir}`);
    return teardown;
  } catch (err) {
    await teardown();
    throw err;
  }
}
