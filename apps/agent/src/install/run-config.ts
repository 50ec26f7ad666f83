import { readFile } from 'node:fs/promises';
import { CliError } from '../printer';
import type { TlsOptions } from '../transport/connection';
import { readAgentConfig } from './config-file';
import { CONFIG_PATH } from './paths';

export interface RunFlags {
  server?: string;
  token?: string;
  config?: string;
  stateDir: string;
  interval: string;
}

/** Commander's answer to "where did this option's value come from" ('cli', 'env', 'default'...). */
export type ValueSource = (option: 'stateDir' | 'interval') => string | undefined;

/**
 * `run` with a config file: the file gives the settings, and a flag given on the command
 * line wins over it. Without --config and with --server, no file is read (as before).
 */
export async function resolveRunFlags<T extends RunFlags>(
  flags: T,
  source: ValueSource,
): Promise<T & { server: string; tls?: TlsOptions }> {
  if (flags.server && !flags.config) return { ...flags, server: flags.server };
  const file = flags.config ?? CONFIG_PATH;
  const cfg = await readAgentConfig(file);
  const ca = cfg.ca
    ? await readFile(cfg.ca).catch((err: NodeJS.ErrnoException) => {
        throw new CliError(`${file}: ca: cannot read ${cfg.ca}: ${err.code ?? err.message}`);
      })
    : undefined;
  return {
    ...flags,
    server: flags.server ?? cfg.server,
    token: flags.token ?? cfg.token,
    stateDir: source('stateDir') === 'cli' ? flags.stateDir : cfg.state_dir,
    interval: source('interval') === 'cli' ? flags.interval : cfg.interval,
    ...(ca || cfg.pin ? { tls: { ...(ca && { ca }), ...(cfg.pin && { pin: cfg.pin }) } } : {}),
  };
}
