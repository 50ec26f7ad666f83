import type { z } from 'zod';
import { factSchemas, FACT_NAMES, type FactError, type FactName, type FactSet } from '@plumbline/protocol/facts';
import type { CollectContext } from './lib/context';
import { CollectorError } from './lib/errors';
import * as files from './files/index';
import * as host from './host/index';
import * as kernelModules from './kernel-modules/index';
import * as loginDefs from './login-defs/index';
import * as packages from './packages/index';
import * as sockets from './sockets/index';
import * as sshd from './sshd/index';
import * as sysctl from './sysctl/index';
import * as users from './users/index';
import * as audit from './audit/index';
import * as automaticUpdates from './automatic-updates/index';
import * as firewall from './firewall/index';
import * as homeDirectories from './home-directories/index';
import * as kernelConfig from './kernel-config/index';
import * as logging from './logging/index';
import * as mac from './mac/index';
import * as mounts from './mounts/index';
import * as networkInterfaces from './network-interfaces/index';
import * as openssl from './openssl/index';
import * as pam from './pam/index';
import * as services from './services/index';
import * as sudo from './sudo/index';
import * as timeSync from './time-sync/index';
import * as updates from './updates/index';

export type { CollectContext } from './lib/context';
export { CollectorError } from './lib/errors';

type Collector<K extends FactName> = (ctx: CollectContext) => Promise<z.input<(typeof factSchemas)[K]>>;

/** One collector per fact; the type makes a fact without a collector a compile error. */
const COLLECTORS: { [K in FactName]: Collector<K> } = {
  host: host.collect,
  sshd_config: sshd.collect,
  listening_sockets: sockets.collect,
  sysctl: sysctl.collect,
  packages: packages.collect,
  kernel_modules: kernelModules.collect,
  users: users.collectUsers,
  groups: users.collectGroups,
  login_defs: loginDefs.collect,
  files: files.collect,
  sudo: sudo.collect,
  services: services.collect,
  firewall: firewall.collect,
  mac: mac.collect,
  mounts: mounts.collect,
  pam: pam.collectPam,
  password_policy: pam.collectPasswordPolicy,
  logging: logging.collect,
  audit: audit.collect,
  time_sync: timeSync.collect,
  kernel_config: kernelConfig.collect,
  openssl: openssl.collect,
  updates: updates.collect,
  automatic_updates: automaticUpdates.collect,
  network_interfaces: networkInterfaces.collect,
  home_directories: homeDirectories.collect,
};

/** A collector stuck on a hung NFS mount or a slow command must not hold up the cycle. */
const COLLECTOR_TIMEOUT_MS = 20_000;

/**
 * Says of a collected value whether its schema check can be skipped: true only when the very
 * same value (by its canonical JSON) was checked before.
 */
export type CheckedBefore = (name: FactName, raw: unknown) => boolean;

/**
 * Runs every collector (or those in `only`) in parallel. A collector that throws, times
 * out or returns a value its schema rejects yields an entry in `errors` instead, so one
 * unreadable source never hides the others.
 */
export async function collectFacts(ctx: CollectContext, only?: FactName[], checkedBefore?: CheckedBefore): Promise<FactSet> {
  const names = FACT_NAMES.filter((n) => !only || only.includes(n));
  const outcomes = await Promise.all(names.map((name) => runOne(ctx, name, checkedBefore)));
  const facts: Record<string, unknown> = {};
  const errors: Record<string, FactError> = {};
  outcomes.forEach((o, i) => {
    const name = names[i] as FactName;
    if ('error' in o) errors[name] = o.error;
    else facts[name] = o.value;
  });
  return { facts: facts as FactSet['facts'], errors };
}

async function runOne(
  ctx: CollectContext,
  name: FactName,
  checkedBefore?: CheckedBefore,
): Promise<{ value: unknown } | { error: FactError }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CollectorError('PLUMBLINE_ERR_COLLECTOR_TIMEOUT', `${name} took longer than ${COLLECTOR_TIMEOUT_MS} ms`)),
        COLLECTOR_TIMEOUT_MS,
      );
    });
    const raw = await Promise.race([(COLLECTORS[name] as Collector<FactName>)(ctx), timeout]);
    // The fact schemas change no value (no defaults, no transforms): a value checked before is its own parse.
    if (checkedBefore?.(name, raw)) return { value: raw };
    const parsed = factSchemas[name].safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CollectorError(
        'PLUMBLINE_ERR_SCHEMA',
        `${name} failed its schema at ${issue?.path.join('.') ?? '?'}: ${issue?.message ?? ''}`,
      );
    }
    return { value: parsed.data };
  } catch (err) {
    const error = toFactError(err);
    ctx.log.warn({ fact: name, code: error.code, path: error.path, reason: error.message }, 'collector failed');
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

function toFactError(err: unknown): FactError {
  if (err instanceof CollectorError) {
    return { code: err.code, message: err.message.slice(0, 2000), ...(err.path ? { path: err.path } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'PLUMBLINE_ERR_COLLECTOR', message: message.slice(0, 2000) };
}
