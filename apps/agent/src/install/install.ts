import { parseDuration } from '@plumbline/protocol/duration';
import { chmod, chown, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../printer';
import { parseAgentConfig, renderAgentConfig, type AgentConfig } from './config-file';
import { CA_PATH, CACHE_DIR, CONFIG_DIR, CONFIG_PATH, STATE_DIR, UNIT_NAME, UNIT_PATH, under } from './paths';
import { hostSystemctl, type Systemctl } from './systemd';
import { renderUnit } from './unit';

export interface InstallOptions {
  server: string;
  token: string;
  ca?: string | undefined;
  pin?: string | undefined;
  /** Staging root; the live host when absent. */
  prefix?: string | undefined;
  start: boolean;
  interval: string;
  /** The agent's own command line (see selfCommand). */
  command: string[];
}

export interface InstallDeps {
  systemctl?: Systemctl;
  /** Whether we are root (the owner of what we write). */
  isRoot?: boolean;
  /** Tests only: a directory that stands in for the live host's `/`. */
  hostRoot?: string;
}

/** Writes `text` so that no reader ever sees a half-written file, with `mode` from the start. */
async function writeAtomic(file: string, text: string | Buffer, mode: number, own: boolean): Promise<void> {
  await writeFile(`${file}.tmp`, text, { mode });
  await chmod(`${file}.tmp`, mode);
  if (own) await chown(`${file}.tmp`, 0, 0);
  await rename(`${file}.tmp`, file);
}

async function ensureDir(dir: string, mode: number, own: boolean): Promise<void> {
  // Parents that do not exist yet (a fresh staging root) get the usual 0755, not `mode`.
  await mkdir(path.dirname(dir), { recursive: true, mode: 0o755 });
  await mkdir(dir, { recursive: true, mode });
  await chmod(dir, mode);
  if (own) await chown(dir, 0, 0);
}

/** The directory to write under, and whether it is the live host (where systemd is asked). */
function rootOf(prefix: string | undefined, deps: InstallDeps, isRoot: boolean): { root: string; live: boolean } {
  if (prefix) return { root: path.resolve(prefix), live: false };
  if (!isRoot) throw new CliError('this writes to /etc and /var/lib: run it as root (or stage it with --prefix DIR)');
  return { root: deps.hostRoot ?? '/', live: true };
}

function validate(o: InstallOptions): void {
  try {
    if (!/^https?:$/.test(new URL(o.server).protocol)) throw new Error();
  } catch {
    throw new CliError(`--server: '${o.server}' is not an http(s) URL`);
  }
  if (!o.token.trim()) throw new CliError('--token: the enrollment token is empty');
  const ms = parseDuration(o.interval);
  if (!ms || ms < 1000) throw new CliError(`--interval: '${o.interval}' is not a duration of at least 1s`);
}

async function readCa(file: string): Promise<Buffer> {
  const pem = await readFile(file).catch((err: NodeJS.ErrnoException) => {
    throw new CliError(`--ca: cannot read ${file}: ${err.code ?? err.message}`);
  });
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new CliError(`--ca: ${file} holds no PEM certificate`);
  return pem;
}

/**
 * Installs the agent as a systemd service. Re-running it with the same options writes the
 * same bytes; an existing credential is kept (and the token is then left out of the config).
 * Returns the lines to show the user.
 */
export async function install(o: InstallOptions, deps: InstallDeps = {}): Promise<string[]> {
  validate(o);
  const isRoot = deps.isRoot ?? process.getuid?.() === 0;
  const systemctl = deps.systemctl ?? hostSystemctl;
  const { root, live } = rootOf(o.prefix, deps, isRoot);
  // Whatever we create is root's; under --prefix as an ordinary user, it stays the user's.
  const own = isRoot;
  const ca = o.ca ? await readCa(o.ca) : null;

  const enrolled = (await readFile(under(root, `${STATE_DIR}/credential`), 'utf8').catch(() => '')).trim() !== '';
  const config: AgentConfig = {
    server: o.server,
    ...(enrolled ? {} : { token: o.token }),
    state_dir: STATE_DIR,
    interval: o.interval,
    ...(ca ? { ca: CA_PATH } : {}),
    ...(o.pin ? { pin: o.pin } : {}),
  };
  const text = renderAgentConfig(config);
  // What we write must be what `run` accepts: fail here, not at the first start.
  const check = parseAgentConfig(text);
  if (!check.success) throw new CliError(`invalid settings: ${check.error}`);
  await ensureDir(under(root, CONFIG_DIR), 0o755, own);
  await ensureDir(under(root, STATE_DIR), 0o700, own);
  await ensureDir(under(root, CACHE_DIR), 0o700, own);
  await ensureDir(under(root, path.dirname(UNIT_PATH)), 0o755, own);
  if (ca) await writeAtomic(under(root, CA_PATH), ca, 0o644, own);

  await writeAtomic(under(root, CONFIG_PATH), text, 0o600, own);

  const systemdVersion = live ? await systemctl.version() : null;
  const unit = renderUnit({ command: o.command, systemdVersion });
  await writeAtomic(under(root, UNIT_PATH), unit, 0o644, own);

  const lines = [
    `config: ${under(root, CONFIG_PATH)}${enrolled ? ' (already enrolled: credential kept, token not stored)' : ''}`,
    `unit: ${under(root, UNIT_PATH)}`,
  ];
  if (!live) return [...lines, `staged under ${root}; on the host run: systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}`];
  if (!o.start) return [...lines, `not started (--no-start); to start: systemctl daemon-reload && systemctl enable --now ${UNIT_NAME}`];
  if (!systemctl.running()) {
    return [
      ...lines,
      `systemd is not running on this host; start the agent with: ${[...o.command, 'run', '--config', CONFIG_PATH].join(' ')}`,
    ];
  }
  for (const args of [['daemon-reload'], ['enable', UNIT_NAME], ['restart', UNIT_NAME]]) {
    const res = await systemctl.run(args);
    if (res.code !== 0) throw new CliError(`systemctl ${args.join(' ')} failed: ${res.out}`, 1);
  }
  return [...lines, `started ${UNIT_NAME}; see \`plumbline-agent status\` and \`journalctl -u ${UNIT_NAME}\``];
}

export interface UninstallOptions {
  prefix?: string | undefined;
  purge: boolean;
}

/** Stops and removes the service; --purge also removes the config, the credential and the spool. */
export async function uninstall(o: UninstallOptions, deps: InstallDeps = {}): Promise<string[]> {
  const isRoot = deps.isRoot ?? process.getuid?.() === 0;
  const systemctl = deps.systemctl ?? hostSystemctl;
  const { root, live } = rootOf(o.prefix, deps, isRoot);
  const lines: string[] = [];
  if (live && systemctl.running()) {
    // Not installed or already stopped is fine: uninstall is idempotent too.
    await systemctl.run(['disable', '--now', UNIT_NAME]);
    lines.push(`stopped and disabled ${UNIT_NAME}`);
  }
  const unit = under(root, UNIT_PATH);
  if (await stat(unit).catch(() => null)) {
    await rm(unit, { force: true });
    lines.push(`removed ${unit}`);
  }
  if (live && systemctl.running()) await systemctl.run(['daemon-reload']);
  if (!o.purge) return [...lines, `kept ${under(root, CONFIG_PATH)} and ${under(root, STATE_DIR)} (use --purge to remove them)`];
  // A custom state_dir from the config goes too, but only one that is plainly ours: a
  // hand-edited `state_dir: /var` must never turn --purge into removing /var.
  const cfgText = await readFile(under(root, CONFIG_PATH), 'utf8').catch(() => null);
  const parsed = cfgText === null ? null : parseAgentConfig(cfgText);
  const custom = parsed?.success && path.basename(parsed.data.state_dir).includes('plumbline') ? [parsed.data.state_dir] : [];
  const dirs = new Set([CONFIG_DIR, STATE_DIR, CACHE_DIR, ...custom]);
  for (const dir of dirs) {
    if (!(await stat(under(root, dir)).catch(() => null))) continue;
    await rm(under(root, dir), { recursive: true, force: true });
    lines.push(`removed ${under(root, dir)}`);
  }
  return lines;
}
