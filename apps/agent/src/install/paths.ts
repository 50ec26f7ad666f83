/**
 * Where an installed agent keeps its files on the host. Everything the installer writes is
 * under one of these, so `--prefix DIR` can stage an install (for packaging and tests) by
 * joining DIR in front, while the files themselves still name the real host paths.
 */
export const UNIT_NAME = 'plumbline-agent.service';
export const CONFIG_DIR = '/etc/plumbline';
export const CONFIG_PATH = `${CONFIG_DIR}/agent.yaml`;
/** The CA given with --ca is copied here: the service must not depend on a file in a home directory. */
export const CA_PATH = `${CONFIG_DIR}/ca.pem`;
export const STATE_DIR = '/var/lib/plumbline';
/** The updates collector's cache (see collectors/updates/index.ts). */
export const CACHE_DIR = '/var/cache/plumbline';
export const UNIT_PATH = `/etc/systemd/system/${UNIT_NAME}`;
/** Optional admin overrides (log level, memory limit); shipped empty by the packages. */
export const ENV_FILE = '/etc/default/plumbline-agent';

/** `abs` inside the staging root `root` ('/' for the live host). */
export function under(root: string, abs: string): string {
  return root === '/' ? abs : `${root.replace(/\/+$/, '')}${abs}`;
}
