import type { AgentPackages } from '@plumbline/protocol/api';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';

/** One downloadable build of the agent, as listed in the packages' manifest.json. */
export interface AgentFile {
  file: string;
  /** `uname -m` of the hosts it is for (x86_64, aarch64). */
  arch: string;
  kind: 'deb' | 'rpm' | 'tar';
}

export interface Manifest {
  version: string;
  files: AgentFile[];
}

export const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._+~-]*$/;

/** The repository root: the directory with pnpm-workspace.yaml above this module (src/ or dist/), null outside a checkout. */
export function repoRoot(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Where the agent packages are: $PLUMBLINE_AGENT_DIST_DIR, else dist/agent at the repository root. */
export function agentDistDir(): string {
  if (process.env.PLUMBLINE_AGENT_DIST_DIR) return path.resolve(process.env.PLUMBLINE_AGENT_DIST_DIR);
  const root = repoRoot();
  return root ? path.join(root, 'dist/agent') : path.resolve('dist/agent');
}

/** The manifest the build writes last (after SHA256SUMS): its presence means the packages are complete. */
export async function readManifest(dir: string): Promise<Manifest | null> {
  try {
    const m = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8')) as Partial<Manifest>;
    const files = (Array.isArray(m.files) ? m.files : []).filter(
      (f): f is AgentFile =>
        !!f && FILE_NAME.test(String(f.file)) && /^[a-z0-9_]+$/.test(String(f.arch)) && ['deb', 'rpm', 'tar'].includes(String(f.kind)),
    );
    if (!files.length || typeof m.version !== 'string' || !FILE_NAME.test(m.version)) return null;
    return { version: m.version, files };
  } catch {
    return null;
  }
}

interface BuildState {
  startedAt: Date;
  finishedAt: Date | null;
  step: string | null;
  error: string | null;
  running: boolean;
}

/** The build of the packages into each directory this process started (one at a time per directory). */
const builds = new Map<string, BuildState>();

/**
 * Starts `scripts/build-agent.mjs` in the background when `dir` holds no packages: `pnpm start`
 * asks for it, so the install command on the token page works from the first start. The
 * build's steps go to the log and to `agentPackages()` (the token page shows them). Returns
 * false when there is nothing to do (packages there, a build running) or no build script.
 */
export async function buildMissingAgentPackages(dir: string, log: Logger): Promise<boolean> {
  if (builds.get(dir)?.running || (await readManifest(dir))) return false;
  const root = repoRoot();
  const script = root && path.join(root, 'scripts/build-agent.mjs');
  if (!script || !existsSync(script)) {
    log.warn({ dir }, 'no agent packages and no build script here: install.sh cannot install agents until they are put there');
    return false;
  }
  const state: BuildState = { startedAt: new Date(), finishedAt: null, step: 'starting', error: null, running: true };
  builds.set(dir, state);
  log.info({ dir }, 'agent packages missing: building them in the background (about 3 minutes); install.sh says so until they are ready');
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, PLUMBLINE_AGENT_DIST_DIR: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const onLine = (line: string) => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > 20) tail.shift();
    const m = /^build-agent: (.*)$/.exec(line);
    if (m) {
      state.step = m[1]!;
      log.info({ step: state.step }, 'agent package build');
    }
  };
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      lines.forEach(onLine);
    });
  }
  // The build runs on its own: a server shutting down does not wait for it (it is killed with the process group).
  child.unref();
  child.on('error', (err) => {
    Object.assign(state, { running: false, finishedAt: new Date(), error: err.message });
    log.error({ err }, 'agent package build could not start');
  });
  child.on('exit', (code, signal) => {
    state.running = false;
    state.finishedAt = new Date();
    if (code === 0) {
      log.info({ dir }, 'agent packages built: install.sh installs them now');
    } else {
      state.error = tail.slice(-5).join('\n') || `exit ${code ?? signal}`;
      log.error({ code, signal, tail: tail.slice(-5) }, 'agent package build failed: run `pnpm build:agent` to see why');
    }
  });
  return true;
}

/** What /install.sh can install now, and how far a running build got. */
export async function agentPackages(dir: string): Promise<AgentPackages> {
  const manifest = await readManifest(dir);
  const b = builds.get(dir);
  const build = b
    ? { startedAt: b.startedAt.toISOString(), finishedAt: b.finishedAt?.toISOString() ?? null, step: b.step, error: b.error }
    : null;
  const files = manifest
    ? await Promise.all(
        manifest.files.map(async (f) => ({ ...f, bytes: (await stat(path.join(dir, f.file)).catch(() => null))?.size ?? null })),
      )
    : [];
  const arches = [...new Set(files.map((f) => f.arch))].sort();
  if (manifest && !b?.running) {
    return {
      state: 'ready',
      version: manifest.version,
      files,
      arches,
      build,
      message: `agent ${manifest.version} for ${arches.join(', ')}`,
    };
  }
  if (b?.running) {
    return {
      state: 'building',
      version: manifest?.version ?? null,
      files,
      arches,
      build,
      message: manifest
        ? `agent ${manifest.version} for ${arches.join(', ')} is ready (${files.map((f) => f.kind).join(', ')}); the other packages are still being built (${b.step ?? 'starting'})`
        : `the agent packages are being built (${b.step ?? 'starting'}); the install command works when they are ready, in about 3 minutes`,
    };
  }
  if (b?.error) {
    return {
      state: 'failed',
      version: null,
      files,
      arches,
      build,
      message: 'the agent package build failed: run `pnpm build:agent` on the server',
    };
  }
  return {
    state: 'missing',
    version: null,
    files,
    arches,
    build,
    message: 'no agent packages on this server: run `pnpm build:agent` (or start it with `pnpm start`, which builds them)',
  };
}
