import type { ChildProcess } from 'node:child_process';
import { chmod, cp, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AGENT_CLI, REPO_ROOT, startProcess } from './processes';

const FIXTURES = resolve(REPO_ROOT, 'apps/agent/fixtures/hosts');

/**
 * The seeded fleet: every fixture host tree, each with its own real agent. Their scores differ
 * (a default Debian install, a hardened one, Ubuntu, RHEL, an edge gateway), so sorting and
 * "the worst host" mean something. Host names are the fixtures' own /etc/hostname.
 */
export const FLEET = [
  { fixture: 'debian12-default', hostname: 'deb12-default' },
  { fixture: 'debian12-hardened', hostname: 'deb12-hardened' },
  { fixture: 'ubuntu-2204', hostname: 'web-01' },
  { fixture: 'ubuntu-2404', hostname: 'noble-01' },
  { fixture: 'rhel9', hostname: 'rocky9.example.internal' },
  { fixture: 'edge-mqtt', hostname: 'edge-gw-17' },
] as const;

/**
 * The fleet host the journeys change on disk (its sshd_config says `PermitRootLogin no` on line 27);
 * only its agent collects every second, the others at the default 30 s to spare the CPU.
 */
export const LIVE_FLEET_HOST = 'edge-gw-17';

export function fleetRoot(tmpDir: string, fixture: string): string {
  return join(tmpDir, 'fleet', fixture);
}

/** A copy of a fixture tree with the file modes of modes.txt, which a git checkout loses. */
async function copyFixture(fixture: string, root: string): Promise<void> {
  await cp(join(FIXTURES, fixture), root, { recursive: true, verbatimSymlinks: true });
  for (const line of (await readFile(resolve(FIXTURES, '../modes.txt'), 'utf8')).split('\n')) {
    const m = /^([0-7]{3,4}) (\S+?)\/(.+)$/.exec(line);
    if (m && m[2] === fixture) await chmod(join(root, m[3]!), parseInt(m[1]!, 8));
  }
}

/** Copies every fixture tree and starts one agent per tree; they enroll with `token`. */
export async function startFleet(options: { baseURL: string; token: string; tmpDir: string; logDir: string }): Promise<ChildProcess[]> {
  const agents: ChildProcess[] = [];
  for (const { fixture, hostname } of FLEET) {
    const root = fleetRoot(options.tmpDir, fixture);
    await copyFixture(fixture, root);
    agents.push(
      startProcess(
        [
          AGENT_CLI,
          'run',
          '--server',
          options.baseURL,
          '--token',
          options.token,
          '--root',
          root,
          '--state-dir',
          join(options.tmpDir, 'fleet-state', fixture),
          '--interval',
          hostname === LIVE_FLEET_HOST ? '1s' : '30s',
        ],
        { env: { ...process.env, NO_COLOR: '1' }, logFile: join(options.logDir, `agent-${fixture}.log`) },
      ),
    );
  }
  return agents;
}

/**
 * Waits until the server lists `hostnames` with a score: the journeys start on a fleet that
 * is fully evaluated, so "sorted by score" has one answer. Reads the API with an auditor key.
 */
export async function waitForFleet(
  baseURL: string,
  apiKey: string,
  hostnames: string[],
  agents: ChildProcess[],
  timeoutMs = 90_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing = hostnames;
  while (Date.now() < deadline) {
    const dead = agents.find((a) => a.exitCode !== null || a.signalCode !== null);
    if (dead)
      throw new Error(`a fleet agent exited (${dead.exitCode ?? dead.signalCode}) before its host was scored: see e2e/.stack/agent-*.log`);
    const res = await fetch(`${baseURL}/api/v1/hosts?limit=100`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (res.ok) {
      const body = (await res.json()) as { items: { hostname: string; score: number | null }[] };
      const scored = new Set(body.items.filter((h) => h.score !== null).map((h) => h.hostname));
      missing = hostnames.filter((h) => !scored.has(h));
      if (missing.length === 0) return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`these hosts were not scored within ${timeoutMs} ms: ${missing.join(', ')}`);
}
